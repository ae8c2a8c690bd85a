"""Administrators enter the results of a certification test sat on paper at a course ② session.

The page sits under the session's address (``/staff/sessions/<id>/scores``), but the results
are the test's, so it belongs to assessment.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.assessment import paper
from lms.assessment.services import session_test
from lms.booking.models import CourseSession
from lms.booking.services import booked_trainees
from lms.extensions import db
from lms.security import Role, roles_required

bp = Blueprint("paper_staff", __name__, url_prefix="/staff/sessions")


@bp.route("/<int:session_id>/scores", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def scores(session_id: int):
    """Certification test on paper: enter the scores of a session's trainees, or upload CSV."""
    session = db.session.get(CourseSession, session_id) or abort(404)
    quiz = session_test() or abort(404)
    booked = booked_trainees(session.id)
    if request.method == "POST":
        try:
            upload = request.files.get("csv")
            if upload and upload.filename:
                count = paper.record_csv(current_user, quiz, session,
                                         upload.read().decode("utf-8-sig", errors="replace"))
            else:
                entered = {u: request.form.get(f"score-{u.id}", "").strip() for u in booked}
                count = paper.record_lines(current_user, quiz, session, [
                    paper.ScoreLine(0, user.email, user, paper.parse_score(raw))
                    for user, raw in entered.items() if raw])
        except paper.PaperRefused as exc:
            db.session.rollback()
            flash(_("Nothing was recorded."), "error")
            for problem in exc.problems:
                flash(_("Line %(n)s: %(problem)s", n=problem.line, problem=problem)
                      if problem.line else str(problem), "error")
        else:
            db.session.commit()
            flash(_("%(n)s scores recorded.", n=count), "success")
        return redirect(url_for("paper_staff.scores", session_id=session.id))
    return render_template("quiz/paper_scores.html", session=session, quiz=quiz, booked=booked,
                           results=paper.latest_results(quiz, booked),
                           possible=paper.possible_points(quiz))
