"""Delivery: WebSub hubs announced and pinged, a health check monitor told, `status`, the GitHub workflow.

A local hub and a local monitor (`pageserver`, on 127.0.0.1) record what
they are sent.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import feedparser
import jsonschema
import pytest
from click.testing import Result
from lxml import etree
from pageserver import Answer, Site, serve
from support import run, seeded
from w3c_rules import check_feed

from feedgen_unodc import health

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = etree.RelaxNG(etree.parse(str(Path(__file__).parent / "schemas" / "atom.rng")))
JSON_FEED_SCHEMA = json.loads((Path(__file__).parent / "schemas" / "jsonfeed-1.1.schema.json").read_text())
BASE = "https://feeds.example.org/unodc/"
FEEDS = [f"{slug}.{ext}" for slug in ("all", "trafficking", "smuggling") for ext in ("atom.xml", "rss.xml", "json")]
CLOCK = {"SOURCE_DATE_EPOCH": "1700000000"}  # 14 November 2023


@pytest.fixture
def hub() -> Iterator[Site]:
    with serve(Site(answers={"/hub": [Answer(204)]})) as site:
        yield site


@pytest.fixture
def home(tmp_path: Path) -> Path:
    seeded(tmp_path)
    return tmp_path


def build(home: Path, *args: str) -> Result:
    return run("build", "-q", "--base-url", BASE, *args, cwd=home, env=CLOCK)


def pinged(site: Site) -> list[str]:
    """The feed URLs the hub was pinged for, in order; each ping a form of hub.mode=publish and one hub.url."""
    urls = []
    for path, body in site.posts:
        form = parse_qs(body.decode("ascii"), strict_parsing=True)
        assert (path, form["hub.mode"], len(form["hub.url"])) == ("/hub", ["publish"], 1)
        urls.append(form["hub.url"][0])
    return urls


def feed_urls(*slugs: str) -> list[str]:
    return sorted(f"{BASE}{name}" for name in FEEDS if name.split(".")[0] in slugs)


def smuggling_story_corrected(home: Path) -> None:
    listing = home / "source" / "latest-news.txt"
    text = listing.read_text(encoding="utf-8")
    before = "The smuggling of migrants is a big business in Nigeria"  # a story about migrant smuggling only
    assert text.count(before) == 1
    listing.write_text(text.replace(before, "Migrant smuggling is a big business in Nigeria"), encoding="utf-8")


# --- WebSub ---------------------------------------------------------------------------------------------


def test_every_feed_announces_its_hubs_beside_its_self_link(home: Path) -> None:
    hubs = ["https://hub.example/", "https://pubsubhubbub.appspot.com/"]
    assert build(home, "--hub", hubs[0], "--hub", hubs[1], "--defer-pings").exit_code == 0
    for name in FEEDS:
        data = (home / "output" / name).read_bytes()
        if name.endswith(".json"):
            document = json.loads(data)
            assert document["hubs"] == [{"type": "WebSub", "url": hub} for hub in hubs]
            jsonschema.validate(document, JSON_FEED_SCHEMA)
            continue
        parsed = feedparser.parse(data)
        assert [link.href for link in parsed.feed.links if link.rel == "hub"] == hubs
        assert [link.href for link in parsed.feed.links if link.rel == "self"] == [f"{BASE}{name}"]
        assert check_feed(data, f"{BASE}{name}") == []  # the W3C validator's rules: no error, no warning
        if name.endswith(".atom.xml"):
            SCHEMA.assertValid(etree.fromstring(data))


def test_without_hubs_no_feed_names_one(home: Path) -> None:
    assert build(home).exit_code == 0
    for name in FEEDS:
        data = (home / "output" / name).read_bytes()
        if name.endswith(".json"):
            assert "hubs" not in json.loads(data)
        else:
            assert not [link for link in feedparser.parse(data).feed.links if link.rel == "hub"]


def test_the_hub_is_pinged_for_exactly_the_feeds_whose_bytes_changed(home: Path, hub: Site) -> None:
    assert build(home, "--hub", hub.url("/hub")).exit_code == 0
    assert sorted(pinged(hub)) == feed_urls("all", "trafficking", "smuggling")  # the first build: all nine
    hub.posts.clear()
    assert build(home, "--hub", hub.url("/hub")).exit_code == 0
    assert pinged(hub) == []  # nothing changed: no ping
    smuggling_story_corrected(home)
    result = build(home, "--hub", hub.url("/hub"))
    assert (result.exit_code, result.stderr) == (0, "")
    assert sorted(pinged(hub)) == feed_urls("all", "smuggling")  # not the trafficking feeds
    assert not (home / "source" / "pings.json").exists()


def test_a_hub_outage_is_one_warning_and_the_next_run_delivers_what_it_missed(home: Path, hub: Site) -> None:
    hub.answers["/hub"] = [Answer(503), Answer(204)]
    result = build(home, "--hub", hub.url("/hub"))
    assert result.exit_code == 0  # a hub that fails never fails the build
    assert result.stderr == (
        f"{hub.url('/hub')}: warning: the WebSub hub did not take the pings (HTTP 503 Service Unavailable);"
        " 9 kept in source/pings.json for the next run\n"
    )
    assert len(hub.posts) == 1  # a hub that fails is asked nothing more in that run
    kept = json.loads((home / "source" / "pings.json").read_bytes())["pending"]
    assert sorted(row["url"] for row in kept) == feed_urls("all", "trafficking", "smuggling")
    hub.posts.clear()
    result = build(home, "--hub", hub.url("/hub"))  # nothing changed, but the pings are due
    assert (result.exit_code, result.stderr) == (0, "")
    assert sorted(pinged(hub)) == feed_urls("all", "trafficking", "smuggling")
    assert not (home / "source" / "pings.json").exists()


def test_a_hub_that_refuses_connections_is_a_warning_too(home: Path) -> None:
    with serve(Site()) as gone:
        url = gone.url("/hub")
    result = build(home, "--hub", url)  # the server is closed: the connection is refused
    assert result.exit_code == 0
    assert result.stderr.startswith(f"{url}: warning: the WebSub hub did not take the pings (cannot connect: ")
    assert result.stderr.count("\n") == 1


def test_deferred_pings_wait_for_the_ping_command(home: Path, hub: Site) -> None:
    """For a deployment that copies the output elsewhere before it is live: build, copy, then ping."""
    assert build(home, "--hub", hub.url("/hub"), "--defer-pings").exit_code == 0
    assert pinged(hub) == []
    assert len(json.loads((home / "source" / "pings.json").read_bytes())["pending"]) == 9
    result = run("ping", "--verbose", "--archive", "source/archive", cwd=home)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "ping: 9 delivered, 0 kept in source/pings.json\n"
    assert sorted(pinged(hub)) == feed_urls("all", "trafficking", "smuggling")
    assert not (home / "source" / "pings.json").exists()
    assert run("ping", "--verbose", "--archive", "source/archive", cwd=home).stdout == "ping: none kept\n"


def test_the_hubs_of_a_settings_file_are_checked_as_urls(home: Path) -> None:
    (home / "feedgen-unodc.toml").write_text('hubs = ["https://hub.example/", "ftp://nope/"]\n')
    result = run("build", cwd=home)
    assert result.exit_code == 2
    assert "hubs: 'ftp://nope/' is not an absolute http(s) URL" in result.stderr


def test_a_damaged_file_of_pending_pings_is_a_warning_and_the_build_goes_on(home: Path, hub: Site) -> None:
    (home / "source").mkdir(exist_ok=True)
    (home / "source" / "pings.json").write_text("{not json")
    result = build(home, "--hub", hub.url("/hub"))
    assert result.exit_code == 0
    assert result.stderr == (
        "source/pings.json: warning: not a file of pending pings (JSONDecodeError); its pings are dropped\n"
    )
    assert len(pinged(hub)) == 9


# --- health checks -------------------------------------------------------------------------------------


@pytest.fixture
def monitor() -> Iterator[Site]:
    answers = {path: [Answer(200, b"OK")] for path in ("/ping/abc", "/ping/abc/fail", "/ping/abc/start")}
    with serve(Site(answers=answers)) as site:
        yield site


def test_a_run_that_succeeds_pings_the_monitor(home: Path, monitor: Site) -> None:
    url = monitor.url("/ping/abc")
    result = run("build", "-q", "--healthcheck-url", url, "--healthcheck-start", cwd=home, env=CLOCK)
    assert (result.exit_code, result.stderr) == (0, "")
    assert [path for path, _ in monitor.requests] == ["/ping/abc/start", "/ping/abc"]


def test_a_run_that_fails_pings_the_monitor_with_its_error_line(home: Path, monitor: Site) -> None:
    (home / "source" / "latest-news.txt").write_bytes(b"\xff\xfe not a listing \x00")
    env = {**CLOCK, "FEEDGEN_UNODC_HEALTHCHECK_URL": monitor.url("/ping/abc")}  # a secret, kept out of files
    result = run("build", cwd=home, env=env)
    assert result.exit_code == 1
    assert [path for path, _ in monitor.posts] == ["/ping/abc/fail"]
    body = monitor.posts[0][1].decode("utf-8")
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors
    assert body.splitlines() == errors


def test_update_pings_fail_when_the_page_cannot_be_fetched(home: Path, monitor: Site) -> None:
    url = monitor.url("/ping/abc")
    result = run("update", "--url", monitor.url("/no-such-page"), "--retries", "0", "--healthcheck-url", url, cwd=home)
    assert result.exit_code == 1
    assert [path for path, _ in monitor.posts] == ["/ping/abc/fail"]
    assert "HTTP 404" in monitor.posts[0][1].decode("utf-8")


def test_a_monitor_that_fails_never_changes_the_exit_status(home: Path) -> None:
    with serve(Site()) as gone:
        url = gone.url("/ping/secret-uuid")
    result = run("build", "-q", "--healthcheck-url", url, cwd=home, env=CLOCK)
    assert result.exit_code == 0
    assert result.stderr.startswith(f"{health.host(url)}: warning: the health check ping failed (cannot connect: ")
    assert "secret-uuid" not in result.stderr  # the URL is a secret: the warning names its host alone


def test_the_failure_ping_goes_to_the_fail_path_before_any_query() -> None:
    assert health.address("https://kuma.example/api/push/t?status=up", "fail") == (
        "https://kuma.example/api/push/t/fail?status=up"
    )
    assert health.address("https://hc-ping.com/0f7a/", "") == "https://hc-ping.com/0f7a/"


# --- status --------------------------------------------------------------------------------------------


def test_status_says_how_the_deployment_is(home: Path) -> None:
    assert build(home).exit_code == 0
    result = run("status", "--stale-after-days", "36500", cwd=home, env=CLOCK)
    assert (result.exit_code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[0] == "last fetch: never (no record beside the source)"
    changed = r"feeds last changed: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \([a-z]+\.(atom\.xml|rss\.xml|json)\)"
    assert re.fullmatch(changed, lines[1])
    assert lines[2:] == [
        "archive: 30 stories published, 0 removed; the page lists 30",
        "newest story: 2022-01-20 (663 days ago)",
        "story pages pending: 0",
    ]


def test_status_exits_1_when_the_newest_story_is_stale(home: Path) -> None:
    assert build(home).exit_code == 0
    result = run("status", "--json", cwd=home, env=CLOCK)  # 663 days after the newest story; 90 by default
    assert result.exit_code == 1
    assert result.stderr == (
        "source/archive: error: stale: the newest story, of 2022-01-20, is 663 days old (more than 90): the page"
        " may have moved, or the extractor broken\n"
    )
    facts = json.loads(result.stdout)
    shown = (facts["stale"], facts["newest"], facts["stories"], facts["stale_after_days"])
    assert shown == (True, "2022-01-20", 30, 90)


def test_status_without_an_archive_exits_1(tmp_path: Path) -> None:
    result = run("status", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stderr == (
        "source/archive: error: stale: the archive holds no story: the page may have moved, or the extractor broken\n"
    )


def test_status_tells_the_last_fetch_and_what_came_of_it(home: Path) -> None:
    with serve(Site(answers={"/page": [Answer(200, b"<html><body><p>nothing here</p></body></html>")]})) as site:
        failed = run("fetch", "--url", site.url("/page"), cwd=home, env=CLOCK)
    assert failed.exit_code == 1
    record = json.loads((home / "source" / "latest-news.fetch.json").read_bytes())
    assert (record["at"], record["result"], record["url"]) == ("2023-11-14T22:13:20Z", "failed", site.url("/page"))
    assert record["detail"] == failed.stderr.strip()
    status = run("status", "--json", cwd=home, env=CLOCK)
    assert json.loads(status.stdout)["fetched"] == record


# --- the GitHub Actions workflow ---------------------------------------------------------------------


def check_workflow(path: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", str(path)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_the_github_workflow_validates_against_githubs_schema() -> None:
    result = check_workflow(ROOT / "deploy" / "github-pages.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_would_see_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    text = (ROOT / "deploy" / "github-pages.yml").read_text()
    broken.write_text(text.replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest"))
    assert check_workflow(broken).returncode == 1


def test_the_workflow_runs_the_job_as_the_readme_says() -> None:
    text = (ROOT / "deploy" / "github-pages.yml").read_text()
    for needed in ('cron: "17 * * * *"', "concurrency:", "cancel-in-progress: false"):
        assert needed in text
    lines = [line.strip().removeprefix("- ") for line in text.splitlines()]
    steps = [line for line in lines if line.startswith(("run: feedgen", "uses: "))]
    assert steps == [
        "uses: actions/checkout@v4",
        "uses: actions/setup-python@v5",
        "uses: actions/configure-pages@v5",
        'run: feedgen-unodc update --quiet --defer-pings --base-url "${{ steps.pages.outputs.base_url }}/"',
        "uses: actions/upload-pages-artifact@v3",
        "uses: actions/deploy-pages@v4",
        "run: feedgen-unodc ping",
        "run: feedgen-unodc status",
    ]


def test_the_example_settings_file_names_every_setting_and_each_value_reads(tmp_path: Path) -> None:
    from feedgen_unodc.settings import SETTINGS, read_settings_file

    text = (ROOT / "deploy" / "feedgen-unodc.toml.example").read_text()
    assert set(SETTINGS) <= set(re.findall(r"^(?:# )?([a-z_]+) = ", text, re.MULTILINE))
    read_settings_file(text.encode(), tmp_path)  # as shipped
    read_settings_file(re.sub(r"^# ([a-z_]+ = )", r"\1", text, flags=re.MULTILINE).encode(), tmp_path)  # all on
