"""One language at a time: nothing a person reads in one language carries the other.

Every error class of the tree, every usage error of ``spm``, every help page, every
kind label and every label table of the command line is rendered in Bahasa Indonesia
and in English; a small list of words typical of the other language must not appear.
Quoted values (``'kesehatan.balita'``), codes and option names are left out of the
check: they are the same in both languages.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
from typing import Any

import pydantic
import pytest

from spm_core import cli
from spm_core.catalog import Catalog
from spm_core.cli import _common
from spm_core.cli import catalog as cli_catalog
from spm_core.cli._app import build_parser
from spm_core.definitions import DEFINITION_KINDS, NeedType, RoutingRule
from spm_core.domain import SpmField, Subject, Text
from spm_core.errors import (
    InputError,
    SpmError,
    UnresolvedReference,
    all_error_classes,
)
from spm_core.hookspecs import hookimpl
from spm_core.plugins import make_plugin_manager
from spm_core.schemas import issues_from

FIELD_PLUGINS = ("kesehatan", "pendidikan", "pupr", "perkim", "trantibum", "sosial")

# Words common in one language and absent from the other (shared words such as
# "plugin", "hook", "data", "posyandu" or "kader" are not listed).
ENGLISH = {
    "the",
    "is",
    "are",
    "was",
    "not",
    "of",
    "with",
    "which",
    "and",
    "or",
    "to",
    "from",
    "refers",
    "defined",
    "found",
    "could",
    "loaded",
    "invalid",
    "choice",
    "choose",
    "required",
    "following",
    "arguments",
    "argument",
    "usage",
    "error",
    "problem",
    "problems",
    "type",
    "record",
    "need",
    "rule",
    "routing",
    "there",
    "no",
    "field",
    "value",
    "show",
    "list",
    "only",
    "this",
    "help",
    "exit",
    "options",
    "option",
    "unrecognized",
    "expected",
    "one",
    "did",
    "you",
    "mean",
    "resident",
    "household",
    "database",
    "changed",
    "someone",
    "else",
    "role",
    "may",
    "agency",
    "catalog",
    "cannot",
    "opened",
    "definition",
    "kind",
    "service",
    "level",
    "in",
    "a",
    "an",
}
INDONESIAN = {
    "dan",
    "yang",
    "tidak",
    "dengan",
    "atau",
    "untuk",
    "dari",
    "pada",
    "oleh",
    "wajib",
    "baris",
    "kolom",
    "nilai",
    "masalah",
    "kesalahan",
    "penggunaan",
    "ada",
    "merujuk",
    "jenis",
    "catatan",
    "kebutuhan",
    "aturan",
    "rujukan",
    "perangkat",
    "daerah",
    "warga",
    "rumah",
    "tangga",
    "ditemukan",
    "diubah",
    "pihak",
    "lain",
    "dimuat",
    "dapat",
    "dibuka",
    "definisi",
    "katalog",
    "bidang",
    "pilihan",
    "pilih",
    "argumen",
    "opsi",
    "bantuan",
    "tampilkan",
    "keluar",
    "mungkin",
    "maksudnya",
    "peran",
    "dalam",
    "sebuah",
    "bahasa",
    "bawaan",
    "hanya",
    "ini",
    "itu",
    "ke",
    "di",
    "belum",
    "terkonfirmasi",
}
OTHER = {"id": ENGLISH, "en": INDONESIAN}

# Names that are the same in both languages: commands, kinds, fields.
IDENTIFIERS = {"init", "plugins", "catalog", "schema", "load", "synth", "route", "referrals"}
IDENTIFIERS |= {c.kind for c in DEFINITION_KINDS}
IDENTIFIERS |= {f.value for f in SpmField}

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|\{[^}]*\}|\([^)]*:[^)]*\)")


def words(text: str) -> set[str]:
    """Return the plain words of ``text``: quoted values, codes and options left out."""
    found = set()
    for token in _QUOTED.sub(" ", text).split():
        if any(c in token for c in "_.-/$=[]{}<>0123456789") or token.isupper():
            continue
        word = token.strip(",;:!?()…").lower()
        if word.isalpha() and word not in IDENTIFIERS:
            found.add(word)
    return found


def leaks(text: str, lang: str) -> set[str]:
    """Return the words of the other language found in ``text`` (meant to be ``lang``)."""
    return words(text) & OTHER[lang]


def test_the_word_lists_tell_the_languages_apart() -> None:
    assert leaks("Nilai 'x' tidak valid: the value is wrong.", "id") == {"the", "value", "is"}
    assert leaks("Value 'x' is not valid: nilai tidak valid.", "en") == {"nilai", "tidak"}
    assert not ENGLISH & INDONESIAN


# ------------------------------------------------------------------------------ errors

REASON = {"id": "alasan dalam bahasa Indonesia", "en": "reason in English"}


def _bilingual_context(cls: type[SpmError]) -> dict[str, Any]:
    """Fill every field of a class's templates the way the library raises it."""
    kind = Text("jenis kebutuhan", "need type")
    context: dict[str, Any] = {
        "value": "nilai-uji",
        "reason_id": REASON["id"],
        "reason_en": REASON["en"],
        "kind": kind,
        "target_kind": Text("aturan rujukan", "routing rule"),
        "entity": "resident",
        "plugin": "kota-contoh",
        "owner": "perkim.rtlh",
        "level": Text("Kabupaten/Kota", "Regency/City"),
        "first": "a",
        "second": "b",
        "region": "32.75",
        "source": "Kepmendagri 300.2.2-2138/2025",
        "role": "peneliti",
        "action": "tulis",
    }
    return context


def _error_classes() -> list[type[SpmError]]:
    return [c for c in all_error_classes() if c.__module__.startswith("spm_core")]


@pytest.mark.parametrize("cls", _error_classes(), ids=lambda c: c.code)
def test_every_error_speaks_one_language_per_message(cls: type[SpmError]) -> None:
    if issubclass(cls, InputError):
        from spm_core.errors import Issue

        error: SpmError = cls(
            [Issue("required", "nama", None, "Nama wajib diisi.", "The name is required.", row=1)]
        )
    else:
        error = cls(**_bilingual_context(cls))
    assert not leaks(error.message_id, "id"), error.message_id
    assert not leaks(error.message_en, "en"), error.message_en


def test_a_reference_to_a_missing_need_type_reads_in_one_language() -> None:
    class Broken:
        @hookimpl
        def spm_definitions(self) -> list[object]:
            return [
                RoutingRule(
                    code="kota-contoh.rtlh",
                    title=Text("Rumah tidak layak huni", "Unfit housing"),
                    need_type="perkim.tidak-ada",
                    roles=("dinas-perkim",),
                )
            ]

    with pytest.raises(UnresolvedReference) as caught:
        Catalog.build(make_plugin_manager(allow=FIELD_PLUGINS, extra={"contoh": Broken()}))
    error = caught.value
    assert "merujuk jenis kebutuhan 'perkim.tidak-ada'" in error.message_id
    assert "refers to need type 'perkim.tidak-ada'" in error.message_en
    assert not leaks(error.message_id, "id")
    assert not leaks(error.message_en, "en")


def test_record_value_rules_are_one_language_per_message() -> None:
    catalog = Catalog.build(make_plugin_manager(allow=FIELD_PLUGINS))
    schema = catalog.record_type("pendidikan.status-sekolah").value_schema
    with pytest.raises(pydantic.ValidationError) as caught:
        schema.model_validate({"status": "tidak-sekolah"})
    [issue] = [i for i in issues_from(caught.value) if i.code == "invalid-record-value"]
    assert " / " not in issue.message_id
    assert " / " not in issue.message_en
    assert "alasan tidak sekolah wajib diisi" in issue.message_id
    assert "the reason for not being in school is required" in issue.message_en
    assert not leaks(issue.message_id, "id")
    assert not leaks(issue.message_en, "en")


# ------------------------------------------------------------------------------ labels


@pytest.mark.parametrize("cls", DEFINITION_KINDS, ids=lambda c: c.kind)
def test_every_kind_label_is_one_language(cls: type[Any]) -> None:
    assert not leaks(cls.kind_label.id, "id"), cls.kind_label
    assert not leaks(cls.kind_label.en, "en"), cls.kind_label


TABLES = {
    "common": _common.TEXTS,
    "attributes": cli_catalog.ATTRIBUTE_LABELS,
    **{
        name.rsplit(".", 1)[-1]: vars(importlib.import_module(name))["TEXTS"]
        for name in (f"spm_core.cli.{m.name}" for m in pkgutil.iter_modules(cli.__path__))
        if "TEXTS" in vars(importlib.import_module(name))
    },
}


@pytest.mark.parametrize("table", TABLES, ids=str)
def test_every_command_line_label_is_one_language(table: str) -> None:
    for key, text in TABLES[table].items():
        assert not leaks(text.id, "id"), (key, text.id)
        assert not leaks(text.en, "en"), (key, text.en)


def test_field_and_subject_labels_are_one_language() -> None:
    for label in [f.label for f in SpmField] + [s.label for s in Subject]:
        assert not leaks(label.id, "id"), label
        assert not leaks(label.en, "en"), label


# ------------------------------------------------------------------------------ spm


@pytest.fixture(autouse=True)
def _field_plugins_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPM_PLUGINS", ",".join(FIELD_PLUGINS))
    for name in ("FORCE_COLOR", "COLUMNS", "SPM_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)


USAGE_ERRORS = [
    ["nonsense"],
    ["catalgo"],
    [],
    ["catalog", "--kind", "nothing"],
    ["catalog", "--field"],
    ["catalog", "--bogus"],
    ["catalog", "a", "b"],
    ["plugins", "--format", "xml"],
    ["schema"],
    ["plugins", "--db", "sqlite://"],
    ["--db", "sqlite://", "plugins"],
    ["init", "--db"],
    ["plugins", "--lang"],
]


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("argv", USAGE_ERRORS, ids=" ".join)
def test_every_usage_error_is_one_language(
    capsys: pytest.CaptureFixture[str], lang: str, argv: list[str]
) -> None:
    status = cli.main(["--lang", lang, *argv])
    _, err = capsys.readouterr()
    assert status == _common.EXIT_USAGE, err
    message = err.strip().splitlines()[-1]
    assert message.startswith("spm: ")
    assert not leaks(message, lang), message


def _commands() -> list[str]:
    parser = build_parser("en")
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return list(action.choices)


COMMANDS = [[], *([name] for name in _commands())]


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "spm")
def test_every_help_page_is_one_language(
    capsys: pytest.CaptureFixture[str], lang: str, command: list[str]
) -> None:
    assert cli.main(["--lang", lang, *command, "--help"]) == 0
    out, _ = capsys.readouterr()
    assert not leaks(out, lang), leaks(out, lang)


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(
    "argv",
    [["catalog", "--wide"], ["catalog", "perkim.rtlh"], ["plugins", "--wide"]],
    ids=" ".join,
)
def test_command_output_is_one_language(
    capsys: pytest.CaptureFixture[str], lang: str, argv: list[str]
) -> None:
    assert cli.main(["--lang", lang, *argv]) == 0
    out, err = capsys.readouterr()
    # Headers, kind labels, field names, levels, attribute labels and notes; titles and
    # descriptions come from the plugins in the chosen language.
    head = "\n".join(line.split("\t")[0] for line in out.splitlines()) + err
    assert not leaks(head, lang), leaks(head, lang)


def test_need_type_title_fixture_is_bilingual() -> None:
    # The fixture words above assume these labels exist in both languages.
    assert NeedType.kind_label.id != NeedType.kind_label.en
