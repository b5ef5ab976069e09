"""Read a YAML file into plain Python data while keeping where every key and value stands.

Rule files and .newslint.yaml are written by people, so every error must name a line and a
column. PyYAML's composed node tree carries those marks; this module turns the tree into dicts,
lists and scalars and keeps a map from each key path to its position.

Anchors and aliases are refused: a rule file has no use for them, and refusing them makes
"billion laughs" documents harmless.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from newslint.errors import NewslintError

if TYPE_CHECKING:  # (yaml.CSafeLoader is missing at run time from a PyYAML built without libyaml)
    from typing import TypeAlias

    _AnyLoader: TypeAlias = yaml.CSafeLoader | yaml.SafeLoader

_Loader: type[_AnyLoader]
try:  # libyaml's parser is much faster; the pure-Python one gives the same nodes.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

KeyPath = tuple[object, ...]  # a key path such as ("examples", 0, "text")

# Rule files and configs nest a few levels; refusing deeper nesting keeps the recursive
# conversion below far from Python's recursion limit (libyaml itself accepts 1,000 levels).
MAX_DEPTH = 32


@dataclass
class YamlDocument:
    """Parsed YAML data and the 1-based (line, column) of each key path's value and key."""

    source: str
    data: Any
    value_marks: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: KeyPath, key: bool = False) -> tuple[int, int]:
        """Position of the value (or key) at `path`, or of its nearest enclosing part."""
        marks = self.key_marks if key else self.value_marks
        while path:
            if path in marks:
                return marks[path]
            if path in self.value_marks:
                return self.value_marks[path]
            path = path[:-1]
        return self.value_marks.get((), (1, 1))

    def error(
        self, message: str, path: KeyPath = (), key: bool = False, cls: type[NewslintError] = NewslintError
    ) -> NewslintError:
        line, column = self.where(path, key)
        return cls(message, self.source, line, column)


def load_yaml(text: str, source: str, error_cls: type[NewslintError] = NewslintError) -> YamlDocument:
    """Parse `text` (named `source` in messages) into a YamlDocument, or raise `error_cls`."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise error_cls(f"invalid YAML: {problem}", source, line, column) from None
    except yaml.YAMLError as exc:
        raise error_cls(f"invalid YAML: {exc}", source) from None
    finally:
        loader.dispose()
    doc = YamlDocument(source=source, data=None)
    if node is None:
        return doc
    seen: set[int] = set()
    doc.data = _build(node, (), doc, loader, seen, error_cls)
    return doc


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _build(
    node: yaml.Node,
    path: KeyPath,
    doc: YamlDocument,
    loader: _AnyLoader,
    seen: set[int],
    error_cls: type[NewslintError],
) -> Any:
    if id(node) in seen:
        line, column = _mark(node)
        raise error_cls("YAML anchors and aliases are not allowed", doc.source, line, column)
    seen.add(id(node))
    if len(path) > MAX_DEPTH:
        line, column = _mark(node)
        raise error_cls(f"YAML nested too deeply (more than {MAX_DEPTH} levels)", doc.source, line, column)
    doc.value_marks[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                line, column = _mark(key_node)
                raise error_cls("mapping keys must be plain strings", doc.source, line, column)
            key = _scalar(key_node, loader, doc, error_cls)
            if key == "<<":
                line, column = _mark(key_node)
                raise error_cls("YAML merge keys ('<<') are not allowed", doc.source, line, column)
            if key in result:
                line, column = _mark(key_node)
                raise error_cls(f"duplicate key {key!r}", doc.source, line, column)
            doc.key_marks[path + (key,)] = _mark(key_node)
            result[key] = _build(value_node, path + (key,), doc, loader, seen, error_cls)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), doc, loader, seen, error_cls) for i, item in enumerate(node.value)]
    return _scalar(node, loader, doc, error_cls)


def _scalar(node: yaml.Node, loader: _AnyLoader, doc: YamlDocument, error_cls: type[NewslintError]) -> Any:
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        line, column = _mark(node)
        raise error_cls(f"invalid YAML value: {getattr(exc, 'problem', exc)}", doc.source, line, column) from None
