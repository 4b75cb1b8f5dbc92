import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from stedennet.registry.models import PopulationFigure


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class TestImportPopulationCommand:
    def test_bad_file_exits_with_file_and_line_for_every_bad_row(self, g40, tmp_path):
        path = tmp_path / "bad.csv"
        path.write_text("cbs_code,inhabitants\nGM0362,1\nXX12,5\nGM0362,7\n", encoding="utf-8")
        err = StringIO()
        with pytest.raises(CommandError, match="nothing was imported"):
            call_command("import_population", str(path), "--source", "cbs-final", "--date", "2025-01-01",
                         stderr=err)
        assert err.getvalue().splitlines() == [
            f"{path}:3: malformed CBS code 'XX12': expected GM and four digits",
            f"{path}:4: duplicate CBS code GM0362: already on line 2",
        ]
        assert not PopulationFigure.objects.filter(reference_date=datetime.date(2025, 1, 1)).exists()

    def test_reimport_says_what_changed(self, g40, tmp_path):
        path = tmp_path / "fix.csv"
        path.write_text("cbs_code,inhabitants\nGM0362,92340\n", encoding="utf-8")
        out, _ = run("import_population", str(path), "--source", "cbs-final", "--date", "2022-01-01")
        assert "changed GM0362 Amstelveen: 92.331 -> 92.340" in out
        assert "0 added, 1 changed, 0 unchanged" in out

    def test_a_bad_date_is_named(self, g40, tmp_path):
        with pytest.raises(CommandError, match="--date '2025-13-01'"):
            call_command("import_population", str(tmp_path / "x.csv"), "--source", "cbs-final", "--date", "2025-13-01")


class TestMembersCommand:
    def members(self, *args) -> list[dict]:
        out, _ = run("members", "--json", *args)
        return json.loads(out)

    def test_amstelveen_joins_on_1_july_2022(self, g40):
        before = self.members("--on", "2022-06-30")
        after = self.members("--on", "2022-07-01")
        assert len(before) == 40
        assert len(after) == 41
        assert {m["cbs_code"] for m in after} - {m["cbs_code"] for m in before} == {"GM0362"}

    def test_each_member_has_its_population_with_date_and_source(self, g40):
        members = {m["cbs_code"]: m for m in self.members("--on", "2022-07-01")}
        assert members["GM0362"] == {
            "cbs_code": "GM0362", "name": "Amstelveen", "province": "Noord-Holland",
            "member_since": "2022-07-01", "member_until": None,
            "population": 92331, "population_date": "2022-01-01", "population_source": "cbs_final",
        }
        assert members["GM0164"]["name"] == "Hengelo"
        assert members["GM0361"]["member_since"] is None  # founding member, date unknown

    def test_default_is_today(self, g40):
        members = self.members()
        assert len(members) == 41
        assert {m["population_date"] for m in members} == {"2024-01-01"}
        assert {m["population_source"] for m in members} == {"cbs_provisional"}
