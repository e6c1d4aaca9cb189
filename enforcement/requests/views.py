"""Public pages under /requests/: the request form (no account), the status page, published annual reports.

The status page answers only to the tracking number together with the query
code, shows only the state and its dates (and what to correct, when asked),
and never what the applicant wrote or who they are. Pages with a query code
are not cached.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, session, url_for

from enforcement.core.errors import RuleViolation
from enforcement.extensions import db
from enforcement.requests import clock, intake, reports, services
from enforcement.requests.codes import EventKind, Status
from enforcement.requests.forms import CitizenCorrectionForm, RequestForm, StatusForm

bp = Blueprint("requests", __name__, url_prefix="/requests")


@bp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def _field_error(form, e: RuleViolation) -> None:
    target = getattr(form, e.field, None) if e.field else None
    if target is None or not hasattr(target, "errors"):
        form.form_errors.append(e.message)
    else:
        target.errors = [*target.errors, e.message] if isinstance(target.errors, list) else [e.message]


def _fresh_challenge(form: RequestForm) -> str:
    question, token = intake.new_challenge()
    form.token.data = token
    form.answer.data = ""
    return question


@bp.route("/", methods=["GET", "POST"])
def new():
    """The request form with its privacy notice; success leads to the tracking number and query code."""
    agency = reports.default_agency()
    if agency is None:
        abort(404)
    form = RequestForm()
    if form.validate_on_submit():
        try:
            intake.check_challenge(form.token.data, form.answer.data)
            applicant = intake.Applicant(form.applicant_type.data, form.name.data, form.id_document_type.data,
                                         form.id_document_number.data, phone=form.phone.data or "",
                                         email=form.email.data or "", address=form.address.data or "",
                                         contact_person=form.contact_person.data or "")
            files = [(f.filename, f.mimetype, f.stream) for f in (form.attachments.data or []) if f and f.filename]
            req, code = intake.submit_online(agency, applicant, form.description.data, form.provision_form.data,
                                             form.delivery.data, remote_addr=request.remote_addr or "",
                                             on=clock.today(), files=files)
            db.session.commit()
        except RuleViolation as e:
            db.session.rollback()
            _field_error(form, e)
        else:
            session["request_receipt"] = {"number": req.tracking_number, "code": code}
            return redirect(url_for("requests.submitted"))
    question = _fresh_challenge(form)
    return render_template("requests/form.html", form=form, question=question, agency=agency,
                           limits=(intake.MAX_ATTACHMENTS, intake.ATTACHMENT_LIMIT // intake.MB))


@bp.get("/submitted")
def submitted():
    receipt = session.pop("request_receipt", None)
    if not receipt:
        return redirect(url_for("requests.status"))
    return render_template("requests/submitted.html", receipt=receipt)


def _status_page(form, req, correction_form=None, corrected=False):
    state = intake.public_status(req)
    correction_note = ""
    if req.status == Status.CORRECTION:
        asked = [e for e in req.events if e.kind == EventKind.CORRECTION_REQUESTED]
        correction_note = asked[-1].note if asked else ""
        if correction_form is None:
            correction_form = CitizenCorrectionForm(formdata=None, tracking_number=req.tracking_number,
                                                    code=form.code.data)
    return render_template("requests/status.html", form=form, state=state, correction_note=correction_note,
                           correction_form=correction_form, corrected=corrected)


@bp.route("/status", methods=["GET", "POST"])
def status():
    """Look a request up by tracking number and query code (POST only, so the code never enters a URL)."""
    form = StatusForm()
    if form.validate_on_submit():
        req = intake.find(form.tracking_number.data, form.code.data)
        if req is not None:
            return _status_page(form, req)
        form.form_errors.append("申请编号或查询码不正确")
    return render_template("requests/status.html", form=form, state=None)


@bp.post("/status/correction")
def correct():
    """The applicant sends the correction asked for; the answer period runs again from today (art. 30)."""
    form = CitizenCorrectionForm()
    if not form.validate_on_submit():
        lookup = StatusForm(formdata=None, tracking_number=form.tracking_number.data, code=form.code.data)
        req = intake.find(form.tracking_number.data or "", form.code.data or "")
        if req is None:
            abort(404)
        return _status_page(lookup, req, correction_form=form)
    req = intake.find(form.tracking_number.data, form.code.data) or abort(404)
    lookup = StatusForm(formdata=None, tracking_number=req.tracking_number, code=form.code.data)
    try:
        services.receive_correction(req, clock.today(), form.text.data, "public")
        db.session.commit()
    except RuleViolation as e:
        db.session.rollback()
        _field_error(form, e)
        req = intake.find(form.tracking_number.data, form.code.data)
        return _status_page(lookup, req, correction_form=form)
    return _status_page(lookup, req, corrected=True)


@bp.get("/reports/<int:year>")
def public_report(year: int):
    """A published annual report (aggregate figures and masked narrative only)."""
    agency = reports.default_agency()
    if agency is None:
        abort(404)
    report = reports.build(year, agency)
    if report.published_on is None:
        abort(404)
    return render_template("requests/public_report.html", report=report)
