"""Accounts, sessions, claims and audit records: the personal data, kept out of Neo4j.

The analyst console can read all of Neo4j (Community has no per-label
privileges), so everything personal lives in a relational store reached through
SQLAlchemy 2 (SQLite under the data dir by default, PostgreSQL when
``PEERGRAPH_ACCOUNTS_URL`` names one). Only public facts (``claimed``,
``verification_level``, ``followers``, ``trust_score``, ``trust_band``) are
written onto Author nodes, through ``graph/accounts.py``.
"""
