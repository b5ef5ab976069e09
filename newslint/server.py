"""`newslint server`: newslint as a language server, speaking LSP over stdin and stdout (on pygls).

What an editor holds is checked as `newslint check` would check the file: the same plan (the
config found from the document's folder, with its rule folders, per-file ignores and baseline),
the same pipeline (per_file.check_buffer: lint, suppressions, the baseline) and the same fixes
(fix.py). This module only translates: documents in, diagnostics and code actions out.

- Diagnostics are published when a document is opened, changed or saved, and again for every
  open document when a watched file changes (a config, a rule file, a baseline). Each names its
  rule as its code, and a repeat points at the other copy (relatedInformation).
- Quick fixes: one per fixable problem, the safe ones preferred and the unsafe ones titled so;
  and a source action that fixes every safe problem, as `newslint check --fix` does.
- A plan is loaded once per config and kept while the files it was loaded from are unchanged
  (their size, time and inode are compared before each check), so editing a config or a rule
  file takes effect at the next check even in an editor that watches no files. A config that
  cannot be used is shown as an error message, once until it changes, and its documents get
  no diagnostics.
- The result cache answers a document that is opened or saved as it was checked before;
  what an editor holds between saves is checked afresh and not kept.

Positions. newslint counts lines from 1 and columns in code points from 1; LSP counts both from
0, and columns in the units of the position encoding the client and server agree on (UTF-16
unless the client offers another: a character outside the Basic Multilingual Plane, an emoji,
is two UTF-16 units). Both split lines at LF, CRLF and a lone CR only.

Documents are synchronised whole (TextDocumentSyncKind.Full): pygls applies an incremental change
to lines split by str.splitlines, which also splits at form feeds, U+2028 and others where LSP
does not, so a change would land in the wrong place in an article holding one.

Checks are coalesced: a change schedules a check of its document unless one is already due, and
the check takes the document as it is when it runs, so a burst of keystrokes costs one check
after the one under way, not one each.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from newslint import __version__
from newslint.cache import CacheError, open_cache
from newslint.document import Document
from newslint.fix import apply_fixes, fix_document
from newslint.per_file import check_buffer
from newslint.pipeline import PARSED_RULES, RESULTS, results_table
from newslint.server_lsp import (
    SOURCE,
    Positions,
    describe_deletion,
    diagnostic_of,
    diagnostics_of,
    file_path,
    overlaps,
    range_key,
    text_edit,
)
from newslint.server_plans import LoadedPlan, Plans, PlanUnusable
from newslint.violations import Violation

if TYPE_CHECKING:
    pass

FIX_ALL_KIND = "source.fixAll.newslint"
FIX_ALL_TITLE = "Fix all safe newslint problems"
# A check runs as soon as the event loop is free; changes that arrive meanwhile are coalesced
# (see the module's docstring), so no delay is added to wait for more.
DEBOUNCE_SECONDS = 0.0
# The files whose change may alter a plan (configs, rule files, baselines): editors that can
# are asked to report changes to them.
WATCHED_FILES = "**/{.newslint.yaml,pyproject.toml,*.yaml,*.yml,*.json}"


class Checked(NamedTuple):
    """A check of one version of a document."""

    version: int | None
    text: str
    plan: LoadedPlan | None  # None: not a document newslint checks (or its config is broken)
    document: Document | None
    violations: list[Violation]


class OpenDocument:
    """What the server knows of a document the editor has open."""

    def __init__(self, uri: str, path: str | None):
        self.uri = uri
        self.path = path  # None for a document that is not a file (an unsaved buffer)
        self.checked: Checked | None = None
        self.keep_result = False  # whether the next check is of the file as saved (see the cache)


class NewslintServer(LanguageServer):
    def __init__(self, cache_dir: Path | None):
        super().__init__("newslint", __version__, text_document_sync_kind=lsp.TextDocumentSyncKind.Full)
        self.cache_problem: str | None = None
        cache = None
        if cache_dir is not None:
            try:
                cache = open_cache(Path(os.path.abspath(cache_dir)), (RESULTS, PARSED_RULES))
            except CacheError as exc:
                self.cache_problem = str(exc)
        self.plans = Plans(cache)
        self.open: dict[str, OpenDocument] = {}
        self._due: set[str] = set()

    # Messages to the user.

    def log(self, message: str, kind: lsp.MessageType = lsp.MessageType.Info) -> None:
        self.window_log_message(lsp.LogMessageParams(kind, f"newslint: {message}"))

    def show_error(self, message: str) -> None:
        """An error the user must see (a broken config)."""
        self.window_show_message(lsp.ShowMessageParams(lsp.MessageType.Error, f"newslint: {message}"))

    # Checking.

    def schedule(self, uri: str, keep_result: bool = False) -> None:
        """Check the document `uri` once the messages already read are handled."""
        state = self.open.get(uri)
        if state is None:
            return
        state.keep_result = state.keep_result or keep_result
        if uri in self._due:
            return
        self._due.add(uri)
        asyncio.get_running_loop().call_later(DEBOUNCE_SECONDS, self._run_due, uri)

    def _run_due(self, uri: str) -> None:
        self._due.discard(uri)
        state = self.open.get(uri)
        if state is not None:
            self.publish(state)

    def publish(self, state: OpenDocument) -> Checked:
        """Check the document as the editor holds it now and publish its diagnostics."""
        try:
            checked = self.check(state)
        except Exception as exc:  # noqa: BLE001 -- a bug: say so, and keep serving the other documents
            self.log(f"internal error checking {state.uri}: {type(exc).__name__}: {exc}", lsp.MessageType.Error)
            checked = Checked(None, "", None, None, [])
        diagnostics = (
            []
            if checked.document is None
            else diagnostics_of(state.uri, checked.document, checked.violations, self.encoding)
        )
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(state.uri, diagnostics, checked.version))
        return checked

    def current(self, state: OpenDocument) -> Checked:
        """The check of the document as the editor holds it now (done now if not done yet)."""
        document = self.workspace.get_text_document(state.uri)
        checked = state.checked
        if checked is not None and checked.version == document.version and checked.text == document.source:
            return checked
        return self.publish(state)

    def check(self, state: OpenDocument) -> Checked:
        document = self.workspace.get_text_document(state.uri)
        text, version = document.source, document.version
        keep_result, state.keep_result = state.keep_result, False
        if state.path is None:
            state.checked = Checked(version, text, None, None, [])
            return state.checked
        try:
            loaded = self.plans.for_path(state.path)
        except PlanUnusable as exc:
            if exc.new:  # shown once, not at every keystroke until it is mended
                self.show_error(str(exc))
            state.checked = Checked(version, text, None, None, [])
            return state.checked
        selection = loaded.plan.config.file_filter()
        if selection.excluded(state.path) or not selection.included(state.path):
            state.checked = Checked(version, text, None, None, [])
            return state.checked
        previous = state.checked
        if previous is not None and previous.plan is loaded and previous.text == text:
            state.checked = previous._replace(version=version)  # a save, or a change undone
            return state.checked
        table = None
        if keep_result and self.plans.cache is not None:
            table = results_table(self.plans.cache, loaded.plan)
        # An editor may hold text no file could: a lone surrogate, which check_buffer refuses as
        # not UTF-8, as it refuses a NUL byte (a binary file), with the CLI's message.
        data = text.encode("utf-8", "surrogatepass")
        try:
            result = check_buffer(state.path, data, loaded.plan, table, loaded.baseline)
        finally:
            if table is not None:
                self._save(table)
        if result.error is not None:
            self.log(f"{result.error.path}: {result.error.message}", lsp.MessageType.Warning)
        state.checked = Checked(version, text, loaded, result.document, result.violations)
        return state.checked

    def _save(self, table: Any) -> None:
        try:
            table.save()
        except CacheError as exc:
            self.log(f"warning: {exc}", lsp.MessageType.Warning)

    @property
    def encoding(self) -> str:
        """The position encoding agreed with the client ("utf-16", "utf-8" or "utf-32")."""
        encoding = self.workspace.position_encoding or lsp.PositionEncodingKind.Utf16
        return getattr(encoding, "value", encoding)  # a member of the enum, or the client's string

    # Code actions.

    def code_actions(self, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        state = self.open.get(params.text_document.uri)
        if state is None:
            return []
        checked = self.current(state)
        if checked.document is None or checked.plan is None:
            return []
        only = params.context.only
        wanted_fixes = only is None or any(_within(lsp.CodeActionKind.QuickFix, kind) for kind in only)
        positions = Positions(checked.document, self.encoding)
        actions = []
        if wanted_fixes:
            given = {(range_key(d.range), d.code): d for d in params.context.diagnostics if d.source == SOURCE}
            for violation in checked.violations:
                if violation.fix is None:
                    continue
                where = positions.range(violation)
                if not overlaps(where, params.range):
                    continue
                diagnostic = given.get((range_key(where), violation.rule)) or diagnostic_of(
                    params.text_document.uri, violation, positions
                )
                edit = self.edit(state, checked, apply_fixes(checked.document, [violation.fix]), positions)
                if edit is None:
                    continue
                title = f"Fix {violation.rule}: {describe_deletion(checked.document, violation)}"
                actions.append(
                    lsp.CodeAction(
                        title if violation.fix.safe else f"{title} (unsafe)",
                        kind=lsp.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        is_preferred=violation.fix.safe,
                        edit=edit,
                    )
                )
        if any(v.fix is not None and v.fix.safe for v in checked.violations):
            fix_all = lsp.CodeAction(
                FIX_ALL_TITLE, kind=FIX_ALL_KIND, data={"uri": state.uri, "version": checked.version}
            )
            if only is not None and any(_within(FIX_ALL_KIND, kind) for kind in only):
                actions.append(self.resolve(fix_all))  # asked for by name (on save, from a menu)
            elif only is None:
                # Offered beside the quick fixes, and worked out (a lint pass or more) only when
                # chosen, if the client can ask for that: clients ask at every move of the cursor.
                actions.append(fix_all if self._resolves_edits() else self.resolve(fix_all))
        return actions

    def resolve(self, action: lsp.CodeAction) -> lsp.CodeAction:
        """The edit of the fix-all action: what `newslint check --fix` would make of the
        document, as of the version it was offered for (none if the document changed since)."""
        data = action.data if isinstance(action.data, dict) else {}
        state = self.open.get(data.get("uri", ""))
        if state is None:
            return action
        checked = self.current(state)
        if checked.version != data.get("version") or checked.document is None or checked.plan is None:
            return action
        fixed = fix_document(checked.document, checked.plan.find).document.text
        action.edit = self.edit(state, checked, fixed, Positions(checked.document, self.encoding))
        return action

    def _resolves_edits(self) -> bool:
        text_document = self.client_capabilities.text_document
        code_action = text_document and text_document.code_action
        support = code_action and code_action.resolve_support
        return bool(support and "edit" in support.properties)

    def edit(
        self, state: OpenDocument, checked: Checked, new_text: str, positions: Positions
    ) -> lsp.WorkspaceEdit | None:
        """The edit turning the checked text into `new_text`, for the version checked."""
        if checked.document is None:
            return None
        change = text_edit(checked.document, new_text, positions)
        if change is None:
            return None
        capabilities = self.client_capabilities.workspace
        versioned = bool(capabilities and capabilities.workspace_edit and capabilities.workspace_edit.document_changes)
        if versioned:
            # A versioned edit: a client whose document has changed since refuses it.
            identifier = lsp.OptionalVersionedTextDocumentIdentifier(state.uri, checked.version)
            return lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(identifier, [change])])
        return lsp.WorkspaceEdit(changes={state.uri: [change]})

    def recheck_open_documents(self) -> None:
        for uri in list(self.open):
            self.schedule(uri)


def _within(kind: str, requested: str) -> bool:
    """Whether code action kind `kind` is one of `requested` (a kind and its sub-kinds)."""
    return kind == requested or kind.startswith(requested + ".")


def build_server(cache_dir: Path | None) -> NewslintServer:
    server = NewslintServer(cache_dir)

    @server.feature(lsp.INITIALIZED)
    def initialized(ls: NewslintServer, params: lsp.InitializedParams) -> None:
        if ls.cache_problem:
            ls.log(ls.cache_problem, lsp.MessageType.Warning)
        watching = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
        if watching and watching.dynamic_registration:
            watcher = lsp.FileSystemWatcher(glob_pattern=WATCHED_FILES)
            options = lsp.DidChangeWatchedFilesRegistrationOptions(watchers=[watcher])
            registration = lsp.Registration("newslint-watched-files", lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES, options)
            ls.client_register_capability(lsp.RegistrationParams([registration]))

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: NewslintServer, params: lsp.DidOpenTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.open[uri] = OpenDocument(uri, file_path(uri))
        ls.schedule(uri, keep_result=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: NewslintServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: NewslintServer, params: lsp.DidSaveTextDocumentParams) -> None:
        # A saved config or rule file changes the plan of other documents (checked by stamp).
        ls.recheck_open_documents()
        ls.schedule(params.text_document.uri, keep_result=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: NewslintServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.open.pop(uri, None)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri, []))

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: NewslintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        ls.recheck_open_documents()

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL_KIND], resolve_provider=True),
    )
    def code_action(ls: NewslintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        return ls.code_actions(params)

    @server.feature(lsp.CODE_ACTION_RESOLVE)
    def code_action_resolve(ls: NewslintServer, action: lsp.CodeAction) -> lsp.CodeAction:
        return ls.resolve(action)

    return server


def serve(cache_dir: Path | None) -> None:
    """Serve one client over stdin and stdout until it exits or closes stdin."""
    build_server(cache_dir).start_io()
