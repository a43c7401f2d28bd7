"""Importing the legacy SharePoint PublishingPortal archive (`manage.py import_publishingportal`).

parser, documents, files, prepare: pure Python, from a text dump to a record (run in workers);
pipeline: the worker pool; writer, indexing, urlmap: the database side; importer: the run.
"""
