/** The formula language: parse, type-check, evaluate in JS, compile to SQL, and computed fields. */
export { describePosition, type FormulaNode, type Position, type ValueType } from "@/formula/ast";
export { FormulaError } from "@/formula/errors";
export { parseFormula } from "@/formula/parser";
export { checkFormula, type ObjectLookup, type TypedNode } from "@/formula/type-checker";
export { evaluateFormula, type FormulaValue } from "@/formula/evaluator";
export { compileFormulaSql, type FormulaDialect, type FormulaSqlScope } from "./sql-compiler";
export { checkComputedMetadata, computedFieldSql, computedValueField, typedFormulaOf, type ComputedScope } from "./computed-fields";
export { previewFormula } from "@/formula/preview";
