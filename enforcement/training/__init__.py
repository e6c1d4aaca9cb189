"""Training: courses, sessions, attendance, assessments, hours, certificates, compliance."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the training tables, staff pages, the public certificate check and commands."""
    from enforcement.accounts.access import add_staff_link
    from enforcement.training import (  # noqa: F401  (register the tables and the review routes)
        api,
        cli,
        models,
        views,
        views_compliance,
        views_selfstudy,
    )

    app.register_blueprint(views.bp)
    app.register_blueprint(views_compliance.bp)
    app.register_blueprint(views_compliance.public_bp)
    app.register_blueprint(api.bp)
    cli.init_app(app)
    add_staff_link("training.index", "我的培训", {"officer"})
    add_staff_link("training.course_list", "培训课程", {"supervisor", "admin"})
    add_staff_link("training_compliance.table", "培训合规", {"supervisor", "admin"})
    add_staff_link("training.self_study_queue", "自学学时审核", {"supervisor"})
