"""Training: courses, sessions, attendance, assessments, hours, certificates, compliance."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the training tables, staff pages, the public certificate check and commands."""
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
    from enforcement.accounts.access import ALL_STAFF, add_staff_link

    add_staff_link("training.index", "我的培训", {"officer"}, order=60)
    add_staff_link("training.course_list", "培训课程", ALL_STAFF, order=61)
    add_staff_link("training_compliance.table", "培训合规", {"supervisor", "admin"}, order=62)
    add_staff_link("training.self_study_queue", "自学学时审核", {"supervisor"}, order=63)
    cli.init_app(app)
