import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from stedennet.registry.constants import PopulationSource
from stedennet.registry.models import Municipality, PopulationFigure
from stedennet.registry.services import ImportRejected, population_figure_record, population_import
from stedennet.registry.tests.factories import MunicipalityFactory, PopulationFigureFactory

JAN_2025 = datetime.date(2025, 1, 1)


def write(tmp_path: Path, text: str, name: str = "population.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


class TestCbsCode:
    @pytest.mark.parametrize("code", ["GM362", "gm0362", "GM03620", "PV0362", "GM03a2", ""])
    def test_malformed_codes_are_refused(self, db, code):
        municipality = MunicipalityFactory.build(cbs_code=code)
        with pytest.raises(ValidationError) as exc:
            municipality.full_clean(exclude=["province"])
        assert "cbs_code" in exc.value.message_dict

    def test_well_formed_code_passes(self, db):
        municipality = MunicipalityFactory.build(cbs_code="GM0362")
        municipality.full_clean(exclude=["province"])


class TestPopulationFigureRecord:
    def test_a_different_figure_supersedes_and_keeps_the_old_one(self, db):
        old = PopulationFigureFactory(inhabitants=92_331)
        new, outcome = population_figure_record(
            municipality=old.municipality, reference_date=old.reference_date, inhabitants=92_400,
            source=old.source,
        )
        old.refresh_from_db()
        assert outcome == "changed"
        assert old.superseded_by == new
        assert old.superseded_at is not None
        assert old.inhabitants == 92_331
        assert list(PopulationFigure.objects.current().filter(municipality=old.municipality)) == [new]

    def test_the_same_figure_changes_nothing(self, db):
        old = PopulationFigureFactory(inhabitants=92_331)
        figure, outcome = population_figure_record(
            municipality=old.municipality, reference_date=old.reference_date, inhabitants=92_331,
            source=old.source,
        )
        assert (figure, outcome) == (old, "unchanged")
        assert PopulationFigure.objects.count() == 1

    def test_another_source_for_the_same_date_is_kept_beside_it(self, db):
        cbs = PopulationFigureFactory(inhabitants=92_331, reference_date=datetime.date(2022, 1, 1))
        _, outcome = population_figure_record(
            municipality=cbs.municipality, reference_date=cbs.reference_date, inhabitants=92_363,
            source=PopulationSource.MUNICIPAL,
        )
        assert outcome == "added"
        assert PopulationFigure.objects.current().count() == 2


class TestPopulationImport:
    def test_imports_every_row(self, g40, tmp_path):
        path = write(tmp_path, "cbs_code,inhabitants\nGM0362,96000\nGM0363,940000\n")
        report = population_import(path=path, source=PopulationSource.CBS_PROVISIONAL, reference_date=JAN_2025)
        assert [(c.municipality.cbs_code, c.new) for c in report.added] == [("GM0362", 96000), ("GM0363", 940000)]
        figure = PopulationFigure.objects.get(municipality__cbs_code="GM0362", reference_date=JAN_2025)
        assert (figure.inhabitants, figure.source) == (96000, "cbs_provisional")

    def test_semicolon_files_from_excel_are_read(self, g40, tmp_path):
        path = write(tmp_path, "CBS_code;Inwoners\r\nGM0362;96000\r\n")
        report = population_import(path=path, source=PopulationSource.MUNICIPAL, reference_date=JAN_2025)
        assert len(report.added) == 1

    def test_bad_rows_are_all_reported_with_their_line_and_nothing_is_imported(self, g40, tmp_path):
        path = write(
            tmp_path,
            "cbs_code,inhabitants\n"
            "GM0362,96000\n"  # 2: fine
            "GM362,1000\n"  # 3: malformed
            "GM9999,1000\n"  # 4: unknown
            "GM0363,many\n"  # 5: not a number
            "GM0362,96001\n"  # 6: duplicate of line 2
            "GM0344,-5\n"  # 7: negative
            "GM0599,1,2\n",  # 8: too many columns
        )
        before = PopulationFigure.objects.count()
        with pytest.raises(ImportRejected) as exc:
            population_import(path=path, source=PopulationSource.CBS_FINAL, reference_date=JAN_2025)
        lines = [error.line for error in exc.value.errors]
        assert lines == [3, 4, 5, 6, 7, 8]
        assert exc.value.codes == ["malformed-code", "unknown-code", "not-a-number", "duplicate-code", "not-positive",
                                   "column-count"]
        reasons = {error.line: error.reason for error in exc.value.errors}
        assert "malformed" in reasons[3]
        assert "unknown" in reasons[4] and "GM9999" in reasons[4]
        assert "whole number" in reasons[5]
        assert "line 2" in reasons[6]
        assert "positive" in reasons[7]
        assert "columns" in reasons[8]
        assert str(exc.value).splitlines()[0].startswith(f"{path}:3: ")
        assert PopulationFigure.objects.count() == before

    def test_a_header_without_the_needed_columns_is_refused(self, g40, tmp_path):
        path = write(tmp_path, "code,count\nGM0362,96000\n")
        with pytest.raises(ImportRejected) as exc:
            population_import(path=path, source=PopulationSource.CBS_FINAL, reference_date=JAN_2025)
        assert [(error.line, error.code) for error in exc.value.errors] == [
            (1, "no-code-column"), (1, "no-inhabitants-column")]

    def test_an_empty_file_is_refused(self, g40, tmp_path):
        with pytest.raises(ImportRejected):
            population_import(path=write(tmp_path, ""), source=PopulationSource.CBS_FINAL, reference_date=JAN_2025)

    def test_reimport_reports_what_changed_and_keeps_history(self, g40, tmp_path):
        jan_2022 = datetime.date(2022, 1, 1)
        path = write(tmp_path, "cbs_code,inhabitants\nGM0362,92331\nGM0361,110800\n")
        report = population_import(path=path, source=PopulationSource.CBS_FINAL, reference_date=jan_2022)
        assert report.unchanged == 1
        assert [(c.municipality.cbs_code, c.old, c.new) for c in report.changed] == [("GM0361", 110783, 110800)]
        alkmaar = Municipality.objects.get(cbs_code="GM0361")
        history = PopulationFigure.objects.filter(municipality=alkmaar, reference_date=jan_2022, source="cbs_final")
        assert sorted((f.inhabitants, f.superseded_at is None) for f in history) == [(110783, False), (110800, True)]

    def test_an_unknown_source_is_refused(self, g40, tmp_path):
        path = write(tmp_path, "cbs_code,inhabitants\nGM0362,96000\n")
        with pytest.raises(ValueError, match="unknown source"):
            population_import(path=path, source="guess", reference_date=JAN_2025)
