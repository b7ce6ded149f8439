"""scripts/check_tests.py: each rule caught on a planted test tree, good tests left alone."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_tests.py"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_tests_script", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


check_tests = _load_script()


def plant(root: Path, files: dict[str, str]) -> Path:
    """Write a test tree of ``files`` (path under ``tests/`` -> source) and return its root."""
    tests = root / "tests"
    for name, source in files.items():
        path = tests / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
    return tests


def found(root: Path, source: str, **others: str) -> list[tuple[str, str]]:
    """``(test name, reason)`` of every finding when ``source`` is ``tests/test_planted.py``."""
    tests = plant(root, {"test_planted.py": source, **others})
    return [(finding.test, finding.reason) for finding in check_tests.find_problems(tests)]


def test_a_test_without_any_assertion_is_reported(tmp_path: Path) -> None:
    source = """
        def test_runs_the_code():
            total = sum([1, 2])
            print(total)
    """
    assert found(tmp_path, source) == [("test_runs_the_code", "no assertion")]


@pytest.mark.parametrize(
    ("statement", "reason"),
    [
        ("assert True", "assert True (always true)"),
        ("assert 1", "asserts a truthy constant (always true)"),
        ("assert 'non-empty'", "asserts a truthy constant (always true)"),
        ("assert (total == 4, 'the total')", "asserts a non-empty literal (always true)"),
        ("assert [total]", "asserts a non-empty literal (always true)"),
        ("assert {'total': total}", "asserts a non-empty literal (always true)"),
        ("assert f'{total}'", "asserts a non-empty f-string (always true)"),
        ("assert 1 + 1 == 2", "asserts an expression of constants only"),
        ("assert total == total", "compares a value with itself (always true)"),
        ("assert rows[0].total >= rows[0].total", "compares a value with itself (always true)"),
        ("assert len(rows) >= 0", "len(...) >= 0 (always true)"),
        ("assert 0 <= len(rows)", "0 <= len(...) (always true)"),
    ],
)
def test_an_assertion_that_is_always_true_is_reported_and_does_not_count(
    tmp_path: Path, statement: str, reason: str
) -> None:
    source = f"""
        def test_totals():
            rows = []
            total = 3
            {statement}
    """
    # the test is reported at its def line, the always-true assert at its own
    assert found(tmp_path, source) == [("test_totals", "no assertion"), ("test_totals", reason)]


def test_the_always_true_assert_is_reported_at_its_own_line_beside_a_real_one(
    tmp_path: Path,
) -> None:
    tests = plant(
        tmp_path,
        {
            "test_planted.py": """
                def test_totals():
                    total = sum([1, 2])
                    assert total == 3
                    assert True
            """
        },
    )
    [finding] = check_tests.find_problems(tests)
    assert (finding.line, finding.test, finding.reason) == (
        5,
        "test_totals",
        "assert True (always true)",
    )


def test_asserts_only_in_an_except_branch_are_reported(tmp_path: Path) -> None:
    source = """
        def test_refuses_a_negative_quantity():
            try:
                int("12")
            except ValueError as error:
                assert "invalid" in str(error)
    """
    assert found(tmp_path, source) == [
        ("test_refuses_a_negative_quantity", "asserts only inside an except branch")
    ]


def test_an_except_branch_is_fine_when_the_try_body_fails_without_the_error(
    tmp_path: Path,
) -> None:
    source = """
        import pytest

        def test_refuses_a_word():
            try:
                int("twelve")
                pytest.fail("a word was read as a number")
            except ValueError as error:
                assert "invalid" in str(error)
    """
    assert found(tmp_path, source) == []


@pytest.mark.parametrize(
    "terminator", ["return", "raise RuntimeError('stop')", "pytest.skip('later')"]
)
def test_asserts_after_an_unconditional_return_or_skip_are_reported(
    tmp_path: Path, terminator: str
) -> None:
    source = f"""
        import pytest

        def test_totals():
            total = sum([1, 2])
            {terminator}
            assert total == 3
    """
    expected = [("test_totals", "asserts only after an unconditional return/raise/skip")]
    if terminator.startswith("raise"):
        expected = []  # a raise fails the test: that is a check of its own
    assert found(tmp_path, source) == expected


def test_a_conditional_skip_or_return_leaves_the_asserts_reachable(tmp_path: Path) -> None:
    source = """
        import os
        import pytest

        def test_totals():
            if not os.environ.get("DATA"):
                pytest.skip("no data")
            total = sum([1, 2])
            assert total == 3
    """
    assert found(tmp_path, source) == []


def test_helpers_in_the_module_count_when_they_assert_or_raise(tmp_path: Path) -> None:
    source = """
        def check_total(total):
            assert total == 3

        def refuse(total):
            if total != 3:
                raise AssertionError(total)

        def show(total):
            print(total)

        def check_twice(total):
            check_total(total)

        def test_checked():
            check_total(sum([1, 2]))

        def test_refused():
            refuse(sum([1, 2]))

        def test_through_two_helpers():
            check_twice(3)

        def test_only_shown():
            show(sum([1, 2]))
    """
    assert found(tmp_path, source) == [("test_only_shown", "no assertion")]


def test_helpers_imported_from_the_test_tree_are_followed_through_re_exports(
    tmp_path: Path,
) -> None:
    source = """
        import checks
        from builders import check_total, show
        from integration.shop import verify

        def test_from_a_module():
            check_total(3)

        def test_from_a_package_module():
            verify(3)

        def test_by_module_attribute():
            checks.check_total(3)

        def test_a_helper_that_only_shows():
            show(3)
    """
    others = {
        "checks.py": "def check_total(total):\n    assert total == 3\n",
        "builders.py": "from checks import check_total\n\ndef show(total):\n    print(total)\n",
        "integration/__init__.py": "",
        "integration/shop.py": "from builders import check_total as verify\n",
    }
    assert found(tmp_path, source, **others) == [("test_a_helper_that_only_shows", "no assertion")]


def test_methods_of_test_classes_and_their_helpers(tmp_path: Path) -> None:
    source = """
        class TestTotals:
            def _check(self, total):
                assert total == 3

            def test_checked(self):
                self._check(3)

            def test_not_checked(self):
                sum([1, 2])

        class Helpers:
            def test_not_collected(self):
                pass
    """
    assert found(tmp_path, source) == [("TestTotals.test_not_checked", "no assertion")]


def test_methods_are_followed_into_base_classes_and_named_classes(tmp_path: Path) -> None:
    source = """
        from builders import Checks

        class Base:
            def _check(self, total):
                assert total == 3

            def _show(self, total):
                print(total)

        class TestTotals(Base):
            def test_inherited_check(self):
                self._check(3)

            def test_inherited_show(self):
                self._show(3)

            def test_static_helper_of_another_class(self):
                Checks.total(3)
    """
    builders = """
        class Checks:
            @staticmethod
            def total(value):
                assert value == 3
    """
    findings = found(tmp_path, source, **{"builders.py": builders})
    assert findings == [("TestTotals.test_inherited_show", "no assertion")]


def test_an_assert_inside_a_raises_block_is_reported(tmp_path: Path) -> None:
    source = """
        import pytest

        def test_refuses_a_word():
            with pytest.raises(ValueError) as raised:
                int("x")
                assert "invalid" in str(raised.value)

        def test_checks_after_the_block():
            with pytest.raises(ValueError) as raised:
                int("x")
            assert "invalid" in str(raised.value)
    """
    tests = plant(tmp_path, {"test_planted.py": source})
    findings = [(f.line, f.test, f.reason) for f in check_tests.find_problems(tests)]
    reason = "asserts inside a pytest.raises block (skipped once it raises)"
    assert findings == [(7, "test_refuses_a_word", reason)]


def test_a_test_that_is_always_skipped_is_reported(tmp_path: Path) -> None:
    source = """
        import sys
        import pytest

        @pytest.mark.skip(reason="later")
        def test_marked():
            assert sum([1, 2]) == 3

        @pytest.mark.skipif(sys.platform == "win32", reason="posix only")
        def test_skipped_on_one_platform():
            assert sum([1, 2]) == 3

        @pytest.mark.skip
        class TestSkippedClass:
            def test_in_class(self):
                assert sum([1, 2]) == 3
    """
    assert found(tmp_path, source) == [
        ("test_marked", "always skipped (@pytest.mark.skip)"),
        ("TestSkippedClass.test_in_class", "always skipped (@pytest.mark.skip)"),
    ]
    module = """
        import pytest

        pytestmark = [pytest.mark.skip]

        def test_a():
            assert sum([1]) == 1
    """
    tests = plant(tmp_path / "module", {"test_module.py": module})
    assert [f.reason for f in check_tests.find_problems(tests)] == [
        "always skipped (@pytest.mark.skip)"
    ]


def test_a_file_that_cannot_be_parsed_is_reported(tmp_path: Path) -> None:
    tests = plant(tmp_path, {"test_broken.py": "def test_x(:\n    assert True\n"})
    [finding] = check_tests.find_problems(tests)
    assert (finding.line, finding.test) == (1, "(module)")
    assert finding.reason.startswith("cannot be parsed: ")


def test_hypothesis_tests_count_the_same_way(tmp_path: Path) -> None:
    source = """
        from hypothesis import given, strategies as st

        @given(st.integers())
        def test_any_integer(value):
            str(value)

        @given(st.integers())
        def test_round_trip(value):
            assert int(str(value)) == value
    """
    assert found(tmp_path, source) == [("test_any_integer", "no assertion")]


def test_assertion_apis_count(tmp_path: Path) -> None:
    source = """
        import numpy as np
        import pytest

        def test_raises():
            with pytest.raises(ValueError):
                int("x")

        def test_raises_called():
            pytest.raises(ValueError, int, "x")

        def test_numpy():
            np.testing.assert_allclose(np.ones(2), 1.0)

        def test_mock(mocker):
            sender = mocker.Mock()
            sender.assert_not_called()

        def test_warns():
            with pytest.warns(UserWarning):
                pass

        def test_call_and_validate(case):
            case.call_and_validate()
    """
    assert found(tmp_path, source) == []


def test_a_requested_fixture_that_asserts_counts(tmp_path: Path) -> None:
    conftest = """
        import pytest

        @pytest.fixture
        def no_errors_logged():
            errors = []
            yield errors
            assert errors == []

        @pytest.fixture(name="shop")
        def shop_fixture():
            return {}
    """
    source = """
        def test_with_a_checking_fixture(no_errors_logged):
            sum([1, 2])

        def test_with_a_plain_fixture(shop):
            sum([1, 2])
    """
    findings = found(tmp_path, source, **{"conftest.py": conftest})
    assert findings == [("test_with_a_plain_fixture", "no assertion")]


def test_nested_functions_count_only_when_called(tmp_path: Path) -> None:
    source = """
        def test_called():
            def check(total):
                assert total == 3
            check(3)

        def test_never_called():
            def check(total):
                assert total == 3
    """
    assert found(tmp_path, source) == [("test_never_called", "no assertion")]


def test_a_value_computed_twice_is_not_a_value_compared_with_itself(tmp_path: Path) -> None:
    source = """
        import random

        def test_same_seed_same_draw():
            assert random.Random(1).random() == random.Random(1).random()

        def test_deliberate_failure():
            try:
                int("x")
                assert False, "a word was read as a number"
            except ValueError:
                pass
    """
    assert found(tmp_path, source) == []


def test_the_allow_comment_silences_one_test_and_needs_a_reason(tmp_path: Path) -> None:
    source = """
        def test_smoke():  # check-tests: the import is what is tested
            import json

        def test_long_name_on_several_lines(
            tmp_path,  # check-tests: writes the file the next test reads
        ):
            tmp_path.joinpath("x").write_text("1")

        def test_without_reason():  # check-tests:
            import json

        def test_not_allowed():
            import json
    """
    assert found(tmp_path, source) == [
        ("test_without_reason", "no assertion"),
        ("test_without_reason", "check-tests comment without a reason"),
        ("test_not_allowed", "no assertion"),
    ]


def test_only_test_functions_of_test_files_are_read(tmp_path: Path) -> None:
    source = """
        import pytest

        @pytest.fixture
        def test_data():
            return [1, 2]

        def helper_without_assert():
            pass
    """
    others = {"builders.py": "def test_like_name():\n    pass\n"}
    assert found(tmp_path, source, **others) == []


def test_the_command_prints_file_line_name_and_reason_and_exits_1(tmp_path: Path) -> None:
    tests = plant(
        tmp_path,
        {
            "unit/test_planted.py": "def test_good():\n    assert 1 + 2 == sum([1, 2])\n\n\n"
            "def test_bad():\n    sum([1, 2])\n"
        },
    )
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(tests)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout.splitlines() == ["tests/unit/test_planted.py:5: test_bad: no assertion"]
    assert "1 finding(s)" in done.stderr


def test_a_clean_tree_exits_0_and_a_missing_folder_exits_2(tmp_path: Path) -> None:
    tests = plant(tmp_path, {"test_planted.py": "def test_good():\n    assert sum([1]) == 1\n"})
    assert check_tests.main([str(tests)]) == 0
    assert check_tests.main([str(tmp_path / "nowhere")]) == 2
