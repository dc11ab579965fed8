/** The formula language: parse, type-check, evaluate in JS, compile to SQL, and computed fields. */
export { describePosition, type FormulaNode, type Position, type ValueType } from "./ast";
export { FormulaError } from "./errors";
export { parseFormula } from "./parser";
export { checkFormula, type ObjectLookup, type TypedNode } from "./type-checker";
export { evaluateFormula, type FormulaValue } from "./evaluator";
export { compileFormulaSql, type FormulaDialect, type FormulaSqlScope } from "./sql-compiler";
export { checkComputedMetadata, computedFieldSql, computedValueField, typedFormulaOf, type ComputedScope } from "./computed-fields";
export { previewFormula } from "./preview";
