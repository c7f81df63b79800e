"""The union's internal procedures (DOMAIN.md sections 5-7): dossiers, configuration, the organisation
tree through time, commendation rounds, and the membership targets of the action programme."""
from flask import Flask

UNION_KINDS = ("cdcs_founding", "commendation", "committee_recognition", "committee_supplement", "discipline",
               "member_admission")


def setup_definitions(app: Flask) -> None:
    """What the definitions load against: the procedures' hooks (also `caseflow workflows check`'s app)."""
    from caseflow.core.engine.state import add_hooks
    from caseflow.union.hooks import hooks

    add_hooks(app, hooks)


def setup(app: Flask) -> None:
    """The union's procedures (founding, committees, commendation, discipline, member admission), the member
    register, the organisation tree and the `caseflow org`, `caseflow procedures` and `caseflow import-members`
    commands."""
    from caseflow.core.signals import connect_menu
    from caseflow.jobs import add_job_kind
    from caseflow.union import member_views, models, org_views, views  # noqa: F401  (models: tables join the metadata)
    from caseflow.union.cli import import_members_command, org_group, procedures_group
    from caseflow.union.member_job import KIND_SPEC
    from caseflow.web.casepage import add_case_kind

    setup_definitions(app)
    add_job_kind(app, KIND_SPEC)
    for module in (views, org_views, member_views):
        app.register_blueprint(module.bp)
        connect_menu(app, module.MENU)
    for kind in UNION_KINDS:
        add_case_kind(app, kind, detail_template=f"union/_detail_{kind}.html")
    for command in (org_group, procedures_group, import_members_command):
        app.cli.add_command(command)
    from caseflow.jobs import PeriodicJob, add_periodic

    # 17:05 UTC is 00:05 in Việt Nam: a change dated today takes effect minutes after the day begins
    add_periodic(app, PeriodicJob("org_sync", {"minute": "5", "hour": "17"}, 86400, org_sync_job))


def org_sync_job(session, app) -> str:
    """`caseflow org sync` as the worker's daily job."""
    from caseflow.core.clock import local_today
    from caseflow.union.org import sync_all

    today = local_today()
    changed = sync_all(session, today)
    session.commit()
    return f"organisation tree as on {today.isoformat()}: {changed} unit(s) changed"
