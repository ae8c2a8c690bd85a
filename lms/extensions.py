"""Flask extensions, created unbound; ``create_app`` binds them."""

from enum import StrEnum
from typing import TYPE_CHECKING, Any, cast

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import CursorResult, Enum, MetaData, Result
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# Models subclass ``Model``. At run time it is ``db.Model`` (Base plus Flask-SQLAlchemy's table
# naming and bind key); a type checker cannot take an instance attribute as a base class, so to it a
# model is a ``Base`` with typed ``Mapped[...]`` columns.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate(compare_type=True, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def enum_type(kind: type[StrEnum]) -> Enum:
    """A column type storing a StrEnum by its values, as VARCHAR (portable, easy to migrate)."""
    return Enum(kind, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


def rowcount(result: Result[Any]) -> int:
    """The number of rows an executed UPDATE or DELETE matched.

    ``Session.execute`` is typed as returning a ``Result``; for DML it is a ``CursorResult``,
    which has the count (SQLAlchemy's documented cast).
    """
    return cast(CursorResult[Any], result).rowcount
