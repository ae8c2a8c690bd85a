"""A custom import-linter contract: no two subpackages of a package import each other.

``acyclic_siblings`` forbids every cycle, at every depth; the rule we keep is narrower and
states the layering we want: between two domain packages, imports run one way only.
"""

from __future__ import annotations

import itertools

from grimp import ImportGraph
from importlinter.application import contract_utils, output
from importlinter.application.contract_utils import AlertLevel
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


class NoMutualImportsContract(Contract):
    """Direct imports between two children of *parent* run in one direction only."""

    type_name = "no_mutual_imports"

    parent = fields.StringField()
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(AlertLevel, default=AlertLevel.ERROR)

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph, ignore_imports=self.ignore_imports,  # type: ignore
            unmatched_alerting=self.unmatched_ignore_imports_alerting)  # type: ignore
        parent = str(self.parent)
        packages = sorted(m for m in graph.find_children(parent) if graph.find_children(m))

        def imports(a: str, b: str) -> bool:
            return graph.direct_import_exists(importer=a, imported=b, as_packages=True)

        mutual = [(a, b) for a, b in itertools.combinations(packages, 2)
                  if imports(a, b) and imports(b, a)]
        return ContractCheck(kept=not mutual, warnings=list(removal.warnings),
                             ignored_import_count=removal.ignored_import_count,
                             metadata={"mutual": mutual, "graph": graph})

    def render_broken_contract(self, check: ContractCheck) -> None:
        graph = check.metadata["graph"]
        for a, b in check.metadata["mutual"]:
            output.print_error(f"{a} and {b} import each other:")
            for x, y in ((a, b), (b, a)):
                found = graph.find_matching_direct_imports(
                    import_expression=f"{x}.** -> {y}.**")
                for item in sorted({(i["importer"], i["imported"]) for i in found})[:5]:
                    output.print_error(f"    {item[0]} -> {item[1]}")
            output.new_line()
