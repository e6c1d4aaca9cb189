"""Staff pages under /staff/requests/: officers handle requests, supervisors and admins read.

Every route is behind ``staff_blueprint`` (login and one of the three roles);
each writing route narrows to officers with ``roles_required``. Views parse
the form, call one service, commit, and show the rule's message on refusal.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import select

from enforcement.accounts.access import roles_required, staff_blueprint
from enforcement.core import calendar
from enforcement.core.errors import RuleViolation
from enforcement.core.exporting import attachment as disposition_header
from enforcement.core.pagination import choice_param
from enforcement.extensions import db
from enforcement.requests import clock, intake, replies, reports, services
from enforcement.requests.codes import OUTCOME_BY_CODE, OUTCOMES, Status
from enforcement.requests.forms import (
    AnswerForm,
    AppealForm,
    AppealResultForm,
    ConsultEndForm,
    ConsultForm,
    CorrectedForm,
    CorrectionForm,
    ExtendForm,
    OnForm,
    RegisterForm,
)
from enforcement.requests.models import InfoRequest, RequestAppeal, RequestAttachment

bp = staff_blueprint("requests_staff", __name__, roles={"officer", "supervisor", "admin"},
                     url_prefix="/staff/requests")


def _request(request_id: int) -> InfoRequest:
    return db.session.get(InfoRequest, request_id) or abort(404)


@bp.get("/")
def index():
    status = choice_param(request.args, "status", Status.labels())
    stmt = select(InfoRequest).order_by(InfoRequest.id.desc())
    if status:
        stmt = stmt.where(InfoRequest.status == status)
    rows = list(db.session.scalars(stmt.limit(500)))
    return render_template("requests/staff_index.html", rows=rows, status=status, statuses=Status.choices(),
                           flags=services.due_soon_and_overdue(clock.today()),
                           proactive=services.proactive_candidates(), may_handle=services.may_handle(current_user))


@bp.route("/new", methods=["GET", "POST"])
@roles_required("officer")
def new():
    """Register a request received in person, by post or by fax (or typed in for an applicant, art. 29)."""
    form = RegisterForm()
    if request.method == "GET":
        form.submitted_on.data = clock.today()
    agency = reports.default_agency(request.values.get("agency", type=int))
    if agency is None:
        abort(404)
    if form.validate_on_submit():
        applicant = intake.Applicant(form.applicant_type.data, form.name.data, form.id_document_type.data,
                                     form.id_document_number.data, phone=form.phone.data or "",
                                     email=form.email.data or "", address=form.address.data or "",
                                     contact_person=form.contact_person.data or "")
        try:
            req, code = intake.register(agency, applicant, form.description.data, form.provision_form.data,
                                        form.delivery.data, channel=form.channel.data,
                                        submitted_on=form.submitted_on.data,
                                        signed_or_confirmed_on=form.signed_or_confirmed_on.data,
                                        actor=current_user.username)
            db.session.commit()
        except RuleViolation as e:
            db.session.rollback()
            _error(form, e)
        else:
            flash(f"已登记，申请编号 {req.tracking_number}，查询码 {code}（请告知申请人，系统不保存查询码原文）", "success")
            return redirect(url_for("requests_staff.detail", request_id=req.id))
    return render_template("requests/staff_new.html", form=form, agency=agency)


def _error(form, e: RuleViolation) -> None:
    target = getattr(form, e.field, None) if e.field else None
    if target is not None and hasattr(target, "errors") and isinstance(target.errors, list):
        target.errors.append(e.message)
    else:
        form.form_errors.append(e.message)


def _forms() -> dict:
    today = clock.today()
    forms = {"confirm": OnForm(prefix="confirm"), "correction": CorrectionForm(prefix="correction"),
             "corrected": CorrectedForm(prefix="corrected"), "lapse": OnForm(prefix="lapse"),
             "consult": ConsultForm(prefix="consult"), "consult_end": ConsultEndForm(prefix="consult_end"),
             "extend": ExtendForm(prefix="extend"), "answer": AnswerForm(prefix="answer"),
             "appeal": AppealForm(prefix="appeal")}
    if request.method == "GET":
        for name in ("confirm", "correction", "corrected", "lapse", "consult", "consult_end", "extend", "appeal"):
            (forms[name].filed_on if name == "appeal" else forms[name].on).data = today
        forms["answer"].answered_on.data = today
        forms["answer"].legal_basis.data = OUTCOMES[0].basis
    return forms


def _detail(req: InfoRequest, forms: dict | None = None, status: int = 200):
    forms = forms or _forms()
    try:
        flag = clock.warning(req.correction_due_on if req.status == Status.CORRECTION else req.due_on, clock.today())
        notice_due = clock.correction_notice_due(req.received_on) if req.received_on else None
    except calendar.UnknownYear:
        flag, notice_due = "", None
    letter = replies.letter(req) if req.reply else None
    return render_template("requests/staff_detail.html", req=req, forms=forms, flag=flag, notice_due=notice_due,
                           letter=letter, outcome=OUTCOME_BY_CODE.get(req.outcome), bases={o.code: o.basis for o in OUTCOMES},
                           results=AppealResultForm, may_handle=services.may_handle(current_user)), status


@bp.get("/<int:request_id>")
def detail(request_id: int):
    return _detail(_request(request_id))


ACTIONS = {
    "confirm": lambda req, f, who: services.confirm_receipt(req, f.on.data, who),
    "correction": lambda req, f, who: services.request_correction(req, f.on.data, who, f.what.data, f.period_days.data),
    "corrected": lambda req, f, who: services.receive_correction(req, f.on.data, f.text.data, who),
    "lapse": lambda req, f, who: services.lapse_uncorrected(req, f.on.data, who),
    "consult": lambda req, f, who: services.start_consultation(req, f.on.data, who, f.party.data, f.approved_by.data),
    "consult_end": lambda req, f, who: services.end_consultation(req, f.on.data, who, f.views.data or ""),
    "extend": lambda req, f, who: services.extend(req, f.on.data, who, f.days.data, f.approved_by.data, f.reason.data),
    "answer": lambda req, f, who: replies.answer(
        req, outcome=f.outcome.data, legal_basis=f.legal_basis.data, answered_on=f.answered_on.data, actor=who,
        reasons=f.reasons.data or "", provided=f.provided.data or "", public_url=f.public_url.data or "",
        information_key=f.information_key.data or ""),
    "appeal": lambda req, f, who: services.record_appeal(req, f.kind.data, f.filed_on.data, f.body.data or "", who),
}
DONE = {"confirm": "已确认收到申请", "correction": "已告知补正", "corrected": "已登记补正，答复期限重新计算",
        "lapse": "申请人逾期未补正，已视为放弃申请", "consult": "已登记征求第三方意见", "consult_end": "已登记第三方意见",
        "extend": "已延长答复期限", "answer": "已作出答复", "appeal": "已登记复议或诉讼"}


@bp.post("/<int:request_id>/<action>")
@roles_required("officer")
def act(request_id: int, action: str):
    """One clock action on a request (see ``ACTIONS``); a refused one shows its reason on the page."""
    if action not in ACTIONS:
        abort(404)
    req = _request(request_id)
    forms = _forms()
    form = forms[action]
    if form.validate_on_submit():
        try:
            ACTIONS[action](req, form, current_user.username)
            db.session.commit()
        except RuleViolation as e:
            db.session.rollback()
            req = _request(request_id)
            _error(form, e)
        else:
            flash(DONE[action], "success")
            return redirect(url_for("requests_staff.detail", request_id=req.id))
    return _detail(req, forms, 400)


@bp.post("/appeals/<int:appeal_id>/result")
@roles_required("officer")
def appeal_result(appeal_id: int):
    appeal = db.session.get(RequestAppeal, appeal_id) or abort(404)
    form = AppealResultForm()
    if form.validate_on_submit():
        try:
            services.record_appeal_result(appeal, form.result.data, form.decided_on.data, form.note.data or "",
                                          current_user.username)
            db.session.commit()
            flash("已登记复议或诉讼结果", "success")
        except RuleViolation as e:
            db.session.rollback()
            flash(e.message, "error")
    else:
        flash("请选择结果并填写日期", "error")
    return redirect(url_for("requests_staff.detail", request_id=appeal.request_id))


@bp.get("/<int:request_id>/letter.pdf")
def letter_pdf(request_id: int):
    from enforcement.requests.letters import letter_pdf as render

    req = _request(request_id)
    if req.reply is None:
        abort(404)
    return Response(render(replies.letter(req)), mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename=reply-{req.tracking_number}.pdf",
                             "Cache-Control": "no-store"})


@bp.get("/attachments/<int:attachment_id>")
def attachment(attachment_id: int):
    from enforcement.disclosure.records import stored_path

    row = db.session.get(RequestAttachment, attachment_id) or abort(404)
    path = stored_path(row.sha256)
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="application/octet-stream", as_attachment=True, download_name=row.file_name,
                     max_age=0)


# --- the annual report ------------------------------------------------------------------------------

def _year(year: int) -> int:
    if not 2008 <= year <= clock.today().year:
        abort(404)
    return year


def _agency():
    agency = reports.default_agency(request.args.get("agency", type=int))
    return agency or abort(404)


@bp.get("/reports/")
def reports_index():
    this_year = clock.today().year
    return render_template("requests/reports_index.html", years=list(range(this_year, this_year - 6, -1)),
                           default_year=this_year - 1)


@bp.get("/reports/<int:year>")
def report(year: int):
    agency = _agency()
    return render_template("requests/report.html", report=reports.build(_year(year), agency),
                           may_handle=services.may_handle(current_user), today=clock.today())


@bp.get("/reports/<int:year>.xlsx")
def report_xlsx(year: int):
    from enforcement.requests.report_files import report_xlsx as build

    return Response(build(reports.build(_year(year), _agency())),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": disposition_header(f"政府信息公开工作年度报告_{year}年.xlsx")})


@bp.get("/reports/<int:year>.pdf")
def report_pdf(year: int):
    from enforcement.requests.report_files import report_pdf as build

    return Response(build(reports.build(_year(year), _agency())), mimetype="application/pdf",
                    headers={"Content-Disposition": disposition_header(f"政府信息公开工作年度报告_{year}年.pdf", "inline")})


@bp.route("/reports/<int:year>/edit", methods=["GET", "POST"])
@roles_required("officer")
def report_edit(year: int):
    from enforcement.requests.forms import ReportForm

    agency = _agency()
    row = reports.find_report(_year(year), agency)
    form = ReportForm(obj=None if request.method == "POST" else row)
    if request.method == "GET":
        for key, value in reports.entered_figures(row).items():
            getattr(form, key).data = str(value)
    if form.validate_on_submit():
        try:
            row = row or reports.get_or_create(year, agency)
            warnings = reports.save(row, overview=form.overview.data or "", problems=form.problems.data or "",
                                    other_matters=form.other_matters.data or "",
                                    figures={k: getattr(form, k).data for k in reports.ENTERED},
                                    actor=current_user.username)
            if request.form.get("publish") == "1":
                reports.publish(row, clock.today(), current_user.username)
            db.session.commit()
        except RuleViolation as e:
            db.session.rollback()
            _error(form, e)
        else:
            for w in warnings:
                flash(f"正文中疑似含有个人信息，公布时已自动隐去：{w}", "warning")
            flash("年度报告已保存" + ("并公布" if request.form.get("publish") == "1" else ""), "success")
            return redirect(url_for("requests_staff.report", year=year, agency=agency.id))
    return render_template("requests/report_edit.html", form=form, year=year, agency=agency, row=row)

