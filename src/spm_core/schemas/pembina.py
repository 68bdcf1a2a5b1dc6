"""Boundary models of the Tim Pembina Posyandu's joint action plan.

A plan (:class:`ActionPlanIn`) belongs to a region and a period and holds commitments
(:class:`CommitmentIn`), each made by one agency (OPD):

* ``indicator`` — bring an SPM indicator in an area to a target by a due date
  ("APS 7–15 in kecamatan Bekasi Timur to 95 % by December");
* ``referral`` — resolve a share of the referrals the agency receives within their
  deadline ("80 % of RTLH referrals resolved within the deadline");
* ``activity`` — do something by a due date (train the kader of a kelurahan); the date
  it was done is entered with a revision of the plan.

Targets are percentages (0–100). The value a commitment is measured by is never typed
in: the monitoring computes it from the indicator and referral engines.

Example:
    >>> plan = ActionPlanIn.model_validate({
    ...     "code": "tp-kota-2026", "title": "Rencana aksi 2026", "wilayah_code": "32.75",
    ...     "start": "2026-01-01", "end": "2026-12-31", "agreed_by": ["Disdik", "Dinsos"],
    ...     "agreed_on": "2026-01-15",
    ...     "commitments": [{"code": "aps", "kind": "indicator", "agency_code": "disdik",
    ...                      "indicator": "pendidikan.aps-7-15", "area": "32.75.01",
    ...                      "target": 95, "due_on": "2026-12-31"}]})
    >>> plan.commitments[0].target
    Decimal('95')
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator, ConfigDict, Field, model_validator

from spm_core.domain.enums import SpmField
from spm_core.schemas._normalise import fail, normalise_text
from spm_core.schemas.models import Code, DateIn, Region, _Boundary

__all__ = ["ActionPlanIn", "CommitmentIn", "CommitmentKind"]

_CONFIG = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

CommitmentKind = Literal["indicator", "referral", "activity"]
"""What a commitment is measured by."""

Label = Annotated[
    str,
    BeforeValidator(normalise_text),
    Field(min_length=1, max_length=300),
]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=7, decimal_places=3)]


class CommitmentIn(_Boundary):
    """One commitment of an agency (OPD) in an action plan."""

    model_config = _CONFIG

    code: Annotated[
        Code,
        Field(
            description="Kode komitmen, unik dalam rencana / Commitment code, unique in the plan"
        ),
    ]
    kind: Annotated[
        CommitmentKind,
        Field(description="indicator, referral atau activity / indicator, referral or activity"),
    ]
    agency_code: Annotated[
        Code, Field(description="Kode perangkat daerah (OPD) / Agency (OPD) code")
    ]
    title: Annotated[
        Label | None,
        Field(description="Uraian komitmen / What is committed (required for an activity)"),
    ] = None
    field: Annotated[
        SpmField | None,
        Field(description="Bidang SPM / SPM field (for the scorecard)"),
    ] = None
    indicator: Annotated[
        Code | None, Field(description="Kode indikator (jenis indicator) / Indicator code")
    ] = None
    area: Annotated[
        Region | None,
        Field(description="Wilayah yang diukur / Area measured (required for an indicator)"),
    ] = None
    need_type: Annotated[
        Code | None,
        Field(description="Jenis kebutuhan rujukan (jenis referral) / Referral need type"),
    ] = None
    target: Annotated[
        Percent | None,
        Field(description="Target dalam persen / Target in percent (indicator, referral)"),
    ] = None
    direction: Annotated[
        Literal["increase", "decrease"],
        Field(description="Naik atau turun menuju target / Rise or fall to the target"),
    ] = "increase"
    measure_period: Annotated[
        Literal["month", "quarter", "semester", "year"],
        Field(description="Periode pengukuran / Period each value is computed over"),
    ] = "month"
    due_on: Annotated[DateIn, Field(description="Batas waktu / Due date")]
    done_on: Annotated[
        DateIn | None,
        Field(description="Tanggal kegiatan terlaksana / Date the activity was done"),
    ] = None

    @model_validator(mode="after")
    def _fits_its_kind(self) -> CommitmentIn:
        def need(name: str, value: object, what_id: str, what_en: str) -> None:
            if value is None:
                fail(
                    "required",
                    None,
                    f"Komitmen {self.kind} wajib menyebut {what_id}.",
                    f"A {self.kind} commitment must give {what_en}.",
                    field=name,
                )

        def forbid(name: str, value: object) -> None:
            if value is not None:
                fail(
                    "not-allowed",
                    str(value),
                    f"Komitmen {self.kind} tidak memakai {name}.",
                    f"A {self.kind} commitment takes no {name}.",
                    field=name,
                )

        if self.kind == "indicator":
            need("indicator", self.indicator, "kode indikator", "an indicator code")
            need("area", self.area, "wilayah", "an area")
            need("target", self.target, "target", "a target")
            forbid("need_type", self.need_type)
            forbid("done_on", self.done_on)
        elif self.kind == "referral":
            need("target", self.target, "target", "a target")
            forbid("indicator", self.indicator)
            forbid("done_on", self.done_on)
        else:
            need("title", self.title, "uraian kegiatan", "a title")
            forbid("indicator", self.indicator)
            forbid("need_type", self.need_type)
            forbid("target", self.target)
        return self


class ActionPlanIn(_Boundary):
    """A joint action plan of the Tim Pembina Posyandu for a region and a period."""

    model_config = _CONFIG

    code: Annotated[
        Code,
        Field(description="Kode rencana, tetap antarrevisi / Plan code, kept across revisions"),
    ]
    title: Annotated[Label, Field(description="Judul rencana / Plan title")]
    wilayah_code: Annotated[Region, Field(description="Wilayah rencana / Region of the plan")]
    start: Annotated[DateIn, Field(description="Awal periode rencana / First day of the plan")]
    end: Annotated[DateIn, Field(description="Akhir periode rencana / Last day of the plan")]
    agreed_by: Annotated[
        list[Label],
        Field(
            min_length=1,
            max_length=60,
            description="Pihak yang menyepakati / Who agreed the plan (agencies, officials)",
        ),
    ]
    agreed_on: Annotated[DateIn, Field(description="Tanggal kesepakatan / Date agreed")]
    margin: Annotated[
        Percent,
        Field(
            description="Selisih (poin persen) di bawah lintasan sebelum berisiko / "
            "Points below the path before a commitment is at risk"
        ),
    ] = Decimal(5)
    note: Annotated[Label | None, Field(description="Catatan revisi / Note on this revision")] = (
        None
    )
    commitments: Annotated[
        list[CommitmentIn],
        Field(min_length=1, max_length=500, description="Komitmen / Commitments"),
    ]

    @model_validator(mode="after")
    def _consistent(self) -> ActionPlanIn:
        if self.end < self.start:
            fail(
                "end-before-start",
                self.end.isoformat(),
                f"Akhir rencana {self.end} sebelum awalnya {self.start}.",
                f"The plan ends on {self.end}, before it starts on {self.start}.",
                field="end",
            )
        seen: set[str] = set()
        for i, commitment in enumerate(self.commitments):
            if commitment.code in seen:
                fail(
                    "duplicate-code",
                    commitment.code,
                    f"Kode komitmen {commitment.code} dipakai dua kali.",
                    f"The commitment code {commitment.code} is used twice.",
                    field=f"commitments.{i}.code",
                )
            seen.add(commitment.code)
            if not self.start <= commitment.due_on <= self.end:
                _outside(i, commitment.due_on, self.start, self.end)
        return self


def _outside(index: int, due: date, start: date, end: date) -> None:
    fail(
        "outside-plan",
        due.isoformat(),
        f"Batas waktu {due} di luar periode rencana {start}–{end}.",
        f"The due date {due} lies outside the plan period {start}–{end}.",
        field=f"commitments.{index}.due_on",
    )
