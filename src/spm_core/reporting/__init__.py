"""Reports for people: the SPM report as a self-contained HTML page.

This package sits above the indicator and referral engines (it reads both) and below
:mod:`spm_core.api`. :func:`~spm_core.reporting.html.render_html` renders what has been
computed; :func:`~spm_core.reporting.page.html_report` computes it for an actor and a
period, then renders it.
"""

from spm_core.reporting.html import TEXTS, Section, render_html
from spm_core.reporting.page import html_report

__all__ = ["TEXTS", "Section", "html_report", "render_html"]
