"""The WSGI entry point for a server other than `caseflow serve` (e.g. `gunicorn --preload caseflow.wsgi:app`,
uWSGI, mod_wsgi): the app built from the CASEFLOW_* environment."""
from caseflow import create_app

app = create_app()
