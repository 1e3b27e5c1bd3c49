"""The README is the user's manual: its command list says what each command's own --help says."""

from __future__ import annotations

import re

import click
import pytest
from support import ROOT

from feedgen_unodc.cli import main

README = (ROOT / "README.md").read_text()
# Taken by every command, before or after its name: the README says so once, on its own line.
EVERYWHERE = {"--settings", "--help"}
# `update` is `fetch` then `build`: the README gives their options as one phrase, and this is what it means.
UPDATE = "[fetch and build options, but --check]"


def command_list() -> dict[str, str]:
    """The README's command list (the first code block under "## Command line"), each command's text."""
    section = README.split("\n## Command line\n", 1)[1]
    block = section.split("```\n", 2)[1]
    commands: dict[str, str] = {}
    name = ""
    for line in block.splitlines():
        if line.startswith("feedgen-unodc "):
            words = line.split()
            name = words[1] if words[1] in main.commands else "*"
            commands[name] = commands.get(name, "") + " " + line
        else:
            commands[name] += " " + line
    return commands


def options_of(command: click.Command) -> set[str]:
    """The long options of `command`, as its --help lists them."""
    params = command.get_params(click.Context(command))
    return {
        opt
        for param in params
        if isinstance(param, click.Option)
        for opt in [*param.opts, *param.secondary_opts]
        if opt.startswith("--")
    }


def listed(text: str) -> set[str]:
    return set(re.findall(r"--[a-z][a-z-]*", text))


def test_every_command_is_in_the_list() -> None:
    assert set(command_list()) - {"*"} == set(main.commands)


@pytest.mark.parametrize("name", sorted(set(main.commands) - {"update"}))
def test_each_command_lists_exactly_its_own_options(name: str) -> None:
    assert listed(command_list()[name]) == options_of(main.commands[name]) - EVERYWHERE


def test_update_takes_the_options_of_fetch_and_build_but_check() -> None:
    assert UPDATE in command_list()["update"]
    fetch, build = options_of(main.commands["fetch"]), options_of(main.commands["build"])
    assert options_of(main.commands["update"]) == (fetch | build) - {"--check"}


def test_the_options_every_command_takes_are_said_once() -> None:
    assert all(options_of(command) >= EVERYWHERE for command in main.commands.values())
    assert listed(command_list()["*"]) == EVERYWHERE | {"--version"}
    assert "before or after the command" in command_list()["*"]


@pytest.mark.parametrize("name", sorted(main.commands))
def test_each_command_has_a_paragraph_in_bold(name: str) -> None:
    assert f"- **`{name}" in README.split("\n## Command line\n", 1)[1].split("\n### Exit status\n", 1)[0]
