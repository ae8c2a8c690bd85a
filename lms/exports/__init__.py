"""Exports of administrative tables as CSV (UTF-8 with BOM) and XLSX.

A feature makes its table exportable with one call::

    from lms.exports import Column, ExportTable, register
    register(ExportTable("applications", N_("Applications"), columns, rows_function))
"""

from lms.exports.registry import Column, ExportTable, register, tables

__all__ = ["Column", "ExportTable", "register", "tables"]
