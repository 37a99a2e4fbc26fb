/**
 * What a val reaches beyond its own code: TypeScript and TSX compiled on save ({@link dev.valence.runtime.engine.modules.TsCompiler}),
 * imports of other vals resolved from the database and served by a read-only virtual file system,
 * the standard modules in every URL form Val Town documents (Specifier),
 * and the owner's environment variables ({@link dev.valence.runtime.engine.modules.ValModules}).
 */
package dev.valence.runtime.engine.modules;
