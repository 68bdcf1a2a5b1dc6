"""The indicator engine: expressions evaluated over a population, reports and the index.

Two interpreters read the same expressions: :mod:`spm_core.indicators.sql` compiles
them to SQLAlchemy Core and computes reports in the database;
:mod:`spm_core.indicators.reference` evaluates them in plain Python over a
:class:`~spm_core.indicators.population.Population` in memory, explains one subject's
result, and is the oracle the SQL compiler is tested against.
"""
