"""Running caseflow as a service: the production server, health checks, request logs, backup and restore."""
from flask import Flask


def proxy_fix(app: Flask) -> None:
    """Behind a reverse proxy (CASEFLOW_PROXY_FIX=N: N proxies in front, each adding its X-Forwarded-* headers;
    or a JSON object of ProxyFix's arguments) the client's address, scheme and host come from the proxy: rate
    limits per address and secure cookies need them. Never set without a proxy: the headers could be forged."""
    setting = app.config.get("PROXY_FIX")
    if not setting:
        return
    from werkzeug.middleware.proxy_fix import ProxyFix

    if isinstance(setting, dict):
        kwargs = {k: int(v) for k, v in setting.items()}
    else:
        n = int(setting)
        kwargs = {"x_for": n, "x_proto": n, "x_host": n, "x_port": n}
    app.wsgi_app = ProxyFix(app.wsgi_app, **kwargs)


def setup(app: Flask) -> None:
    """The health pages, one log line per request, the reverse-proxy fix and the operator's commands."""
    from caseflow.ops import cli, logs, views

    app.register_blueprint(views.bp)
    logs.install(app)
    proxy_fix(app)
    for command in cli.COMMANDS:
        app.cli.add_command(command)
