"""Ledgers in and out: importers (XLSX/CSV) and open exports (beancount, JSON Lines)."""
