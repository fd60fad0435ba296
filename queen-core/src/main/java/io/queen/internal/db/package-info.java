/**
 * The database: transactions and error translation ({@link io.queen.internal.db.Database}),
 * named statements from {@code io/queen/sql/} ({@link io.queen.internal.db.SqlStatements}), the
 * query helper ({@link io.queen.internal.db.Jdbc}), the batch JSON contract with the PL/pgSQL
 * functions ({@link io.queen.internal.db.BatchContract}) and the schema migrations.
 */
package io.queen.internal.db;
