"""The typer app, global options, and the one place errors become messages and exit codes."""

from __future__ import annotations

import logging
import re
import sys
import traceback
from dataclasses import dataclass

import typer
import typer.core
from rich.console import Console

from newsfetch import __version__
from newsfetch.errors import EXIT_CODES, ExitStatus, NewsfetchError


def _plain_argument_help() -> None:
    """Show arguments as their metavar alone (``URL``), not typer's ``{URL}`` / ``URL <str>``: the help is for
    readers, and Python type names are internals."""

    def usage_name(self: typer.core.TyperArgument) -> str:
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return name + ("..." if self.nargs != 1 else "")

    typer.core.TyperArgument._usage_display_name = usage_name
    typer.core.TyperArgument.display_type_rich = lambda self, ctx: None


_plain_argument_help()

app = typer.Typer(
    name="newsfetch",
    help="Fetch news articles and write them as clean Markdown with YAML front matter.\n\n"
         "Examples:\n\n\b\n"
         "  newsfetch url https://finance.eastmoney.com/a/202112302231746483.html\n"
         "  newsfetch file saved.html --url https://www.chinanews.com.cn/cj/2021/12-30/9641234.shtml\n"
         "  newsfetch batch urls.txt --archive ~/news",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    epilog="Exit codes: " + "; ".join(f"{int(code)} {text.split(' (')[0]}" for code, text in EXIT_CODES.items()),
)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


@dataclass
class Settings:
    traceback: bool = False


settings = Settings()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newsfetch {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    traceback: bool = typer.Option(False, "--traceback", help="Show the Python traceback of errors (debugging)."),
    verbose: bool = typer.Option(False, "--verbose", "-v",
                                 help="Log what happens to stderr, with the time each stage of each page took."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    settings.traceback = traceback
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s")


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # tab and newline stay (multi-line tables)


def printable(text: object) -> str:
    """`text` with control characters shown as ``\\xNN``: bytes from a URL list or a page must not drive the
    terminal (colours, cursor moves, a title bar rewrite) when echoed."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group(0)):02x}", str(text))


def fail(error: NewsfetchError) -> typer.Exit:
    """Print `error` as one line on stderr and return the Exit to raise."""
    stderr.print(f"newsfetch: error: {printable(error)}", markup=False)
    return typer.Exit(error.exit_status)


def main() -> None:
    """Console-script entry point: runs the app, maps errors to one line and an exit code."""
    try:
        code = app(standalone_mode=False)
    except typer.TyperException as error:  # click's own errors (bad option, missing argument): exit 2
        error.message = error.message.removeprefix("Value error, ")  # the validator's prefix is not for users
        error.show()  # type: ignore[attr-defined]  # every one raised is a click exception, which has show()
        sys.exit(ExitStatus.USAGE)
    except typer.Abort:
        stderr.print("newsfetch: interrupted")
        sys.exit(ExitStatus.INTERRUPTED)
    except NewsfetchError as error:
        if settings.traceback:  # the traceback, but the same exit code: scripts keep their meaning
            traceback.print_exc()
        stderr.print(f"newsfetch: error: {printable(error)}", markup=False)
        sys.exit(error.exit_status)
    except KeyboardInterrupt:
        stderr.print("newsfetch: interrupted")
        sys.exit(ExitStatus.INTERRUPTED)
    except Exception as error:  # a bug: say so in one line unless asked for the traceback
        if settings.traceback:
            raise
        stderr.print(f"newsfetch: internal error: {type(error).__name__}: {error} "
                     "(rerun with --traceback and report it)", markup=False)
        sys.exit(ExitStatus.INTERNAL)
    sys.exit(code if isinstance(code, int) else ExitStatus.OK)
