"""The PostgreSQL index entries the portal writes (search.backends.postgres) are exactly what
modelsearch's own indexer would compile, field for field, though each field is now prepared
once and each vector shape compiled once."""

import pytest
from django.db import connection
from django.db.models.sql.subqueries import InsertQuery
from django.utils.functional import cached_property
from modelsearch.backends import get_search_backend

from bulletins.models import BulletinPage
from search.backends.database import is_title_field
from tests.factories import BulletinPageFactory

COLUMNS = ("title", "autocomplete", "body")


@pytest.mark.django_db
def test_index_rows_are_modelsearchs_own(category):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL index")
    from modelsearch.backends.database.postgres.postgres import IndexEntry, ObjectIndexer

    from search.backends.postgres import TitleVectorIndexer, TitleVectorPostgresIndex

    class ModelsearchIndexer(ObjectIndexer):
        """modelsearch's indexer with the portal's title vector, as before (every field
        prepared for each column, each vector an expression)."""

        @cached_property
        def title(self):
            return self.as_vector(
                (value, weight)
                for field in self.search_fields
                for current, weight, value in self.prepare_field(self.obj, field)
                if is_title_field(current)
            )

    BulletinPageFactory(parent=category, title="Đường tỉnh 258 được nâng cấp")
    BulletinPageFactory(parent=category, title="Hội nghị tổng kết năm học")
    backend = get_search_backend()
    index = backend.get_index_for_model(BulletinPage)
    assert isinstance(index, TitleVectorPostgresIndex)
    compiler = InsertQuery(IndexEntry).get_compiler(connection=connection)
    compiled: dict = {}
    for page in BulletinPage.objects.all():
        old, new = ModelsearchIndexer(page, backend), TitleVectorIndexer(page, backend)
        for column in COLUMNS:
            field = IndexEntry._meta.get_field(column)
            expected = compiler.prepare_value(field, getattr(old, column)).as_sql(
                compiler, connection
            )
            sql, params = index.vector_sql(compiler, column, getattr(new, column), compiled)
            assert (sql, params) == (expected[0], list(expected[1])), column
        assert (new.title_text, new.body_text) == (old.title_text, old.body_text)
    assert compiled  # the second page reused the first one's compiled shapes
