from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRESETS = ROOT / "presets"


@pytest.fixture(scope="module")
def client():
    """A local Dask cluster of two worker processes, one per test module that asks for it."""
    from designer import cluster

    with cluster.connect("local:2") as client:
        yield client


@pytest.fixture
def write_preset(tmp_path):
    """Write preset text to a file and return its path."""

    def write(text: str | bytes, name: str = "shop.toml") -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text)
        return path

    return write


# Markers by what a test needs or costs, so `make test-fast` can leave out the slow parts (see the
# Makefile and pyproject's markers): a real PostgreSQL server, a Dask cluster, a terminal in tmux,
# the Faker sweep and the fuzzer, the TUI, fresh Python processes, sweeps and large runs. Whole files
# by name; single tests by (file, function), every parametrization alike.
_BY_FILE = {
    "test_distributed.py": "cluster",
    "test_cluster_safety.py": "cluster",
    "test_tmux.py": "tmux",
    "test_faker_fidelity.py": "fidelity",
    "test_fuzz.py": "fuzz",
    "test_faker_like_faker.py": "sweep",
    "test_all_presets.py": "sweep",
    "test_prefix.py": "sweep",
    "test_workers.py": "process",
    "test_import_rule.py": "process",
    "test_nothing_lost.py": "process",
    "test_faker_order.py": "process",
}
_BY_DIR = {"ui": "tui"}
_BY_TEST = {
    ("test_docs.py", "test_example_runs"): "process",
    ("test_docs.py", "test_documented_error_is_what_designer_prints"): "process",
    **dict.fromkeys(
        [
            ("test_expression_safety.py", name)
            for name in (
                "test_read_csv_of_a_file_in_a_subquery",
                "test_read_csv_in_an_aggregate",
                "test_every_table_function_is_refused",
                "test_the_environment_is_not_read",
                "test_no_http_request_is_made",
                "test_a_fifo_does_not_hang_the_load",
                "test_text_that_would_fill_the_memory",
                "test_the_clock_is_refused",
                "test_random_is_refused_with_the_same_check",
                "test_other_constructs_are_refused_in_one_line",
            )
        ],
        "process",
    ),
    ("test_validate_errors.py", "test_real_process_gives_one_line_and_exit_2"): "process",
    ("test_variant_groups.py", "test_the_same_bytes_for_any_worker_count"): "process",
    ("test_cli_export.py", "test_a_reader_that_stops_early_ends_the_export_quietly"): "process",
    ("test_cli_export.py", "test_stdout_carries_one_entity_and_stderr_stays_empty"): "process",
    ("test_faker_dates.py", "test_the_machines_time_zone_changes_no_byte"): "process",
    ("test_faker_ids.py", "test_set_order_is_the_interpreters"): "process",
    ("test_faker_safety.py", "test_the_same_bytes_under_any_hash_seed"): "process",
    ("test_properties.py", "test_same_output_in_another_process"): "process",
    ("test_determinism.py", "test_two_workers_write_the_same_rows_as_one"): "process",
    ("test_determinism.py", "test_two_workers_write_the_same_bytes_as_one"): "process",
    ("test_postgres_safety.py", "test_a_server_that_never_answers_the_connect_is_one_line"): "process",
    ("test_postgres_safety.py", "test_ctrl_c_stops_a_connect_that_waits"): "process",
    ("test_targets_safety.py", "test_a_commit_killed_between_renames_is_found_and_repaired"): "process",
    ("test_versions.py", "test_version_names_the_libraries_the_values_come_from"): "process",
    ("test_faker_safety.py", "test_every_provider_with_default_args_exports_or_is_refused_at_load"): "sweep",
    ("test_faker_safety.py", "test_hostile_faker_field_is_refused_at_load"): "sweep",
    ("test_faker_safety.py", "test_validate_still_names_the_per_row_fields"): "sweep",
    ("test_properties.py", "test_null_rate_is_met"): "sweep",
    ("test_properties.py", "test_every_kind_has_its_dtype"): "sweep",
    ("test_properties.py", "test_column_stability_adding_removing_reordering"): "large",
    ("test_properties.py", "test_preview_is_a_prefix_of_the_export"): "large",
    ("test_properties.py", "test_seed_changes_values_but_not_structure"): "large",
    ("test_properties.py", "test_row_count_does_not_change_earlier_rows"): "large",
    ("test_determinism.py", "test_blocks_preset_spans_several_blocks"): "large",
    ("test_wide.py", "test_field_order_looks_at_each_field_once"): "large",
    ("test_unique_numbering.py", "test_numbering_matches_the_plain_rule_across_blocks"): "large",
    ("test_references.py", "test_zipf_unique_draws_popular_rows_first_with_zipf_probabilities"): "large",
    ("test_sqlite.py", "test_the_page_cache_stays_within_its_bound_with_large_pages"): "large",
    (
        "test_truncation.py",
        "test_a_huge_poisson_cut_inside_its_bulk_is_refused_at_load_in_bounded_memory",
    ): "large",
    (
        "test_truncation.py",
        "test_a_huge_poisson_whose_window_holds_its_bulk_samples_untruncated_in_bounded_memory",
    ): "large",
    ("test_truncation.py", "test_row_estimates_of_a_huge_count_take_bounded_memory"): "large",
    **dict.fromkeys(
        [
            (f"test_{preset}.py", "test_nothing_a_qa_engineer_would_frown_at")
            for preset in ("banking", "blog", "ecommerce", "hr", "iot_sensors", "saas_events")
        ],
        "large",
    ),
}
_SLOW = {"cluster", "tmux", "fidelity", "fuzz", "pg", "sweep", "process", "large", "tui"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        name = getattr(item, "originalname", item.name)
        marks = {_BY_FILE.get(item.path.name), _BY_DIR.get(item.path.parent.name), _BY_TEST.get((item.path.name, name))}
        marks -= {None}
        if "pg_server" in getattr(item, "fixturenames", ()):
            marks.add("pg")
        marks |= {m.name for m in item.iter_markers()} & _SLOW
        for mark in marks | ({"slow"} if marks & _SLOW else set()):
            item.add_marker(mark)


def pytest_configure(config):
    # a renamed test or file would lose its mark without a word, and the fast run would slow down unseen
    sources: dict[str, list[str]] = {}
    for path in Path(__file__).parent.rglob("test_*.py"):
        sources.setdefault(path.name, []).append(path.read_text(encoding="utf-8"))
    missing = [f"{file}::{name}" for file, name in _BY_TEST if not any(f"def {name}(" in text for text in sources.get(file, ()))]
    missing += [file for file in _BY_FILE if file not in sources]
    if missing:
        raise pytest.UsageError(f"tests/conftest.py marks tests that do not exist: {', '.join(missing)}")
