/**
 * DynamoDB expressions: a tokenizer and recursive-descent parser for condition
 * expressions (comparisons `= <> < <= > >=`, BETWEEN, IN, AND, OR, NOT, parentheses,
 * attribute_exists, attribute_not_exists, attribute_type, begins_with, contains,
 * size) and update expressions (SET with `+`/`-`, if_not_exists and list_append;
 * REMOVE; ADD; DELETE), evaluated over items in AttributeValue format.
 *
 * Names and values come from ExpressionAttributeNames/Values; an undefined placeholder
 * and a bare name that is a reserved word (a subset of DynamoDB's list) are
 * ValidationExceptions, as in DynamoDB. {@link ExpressionContext.used} records the
 * placeholders used so the caller can reject unused ones like DynamoDB does.
 */
export { getPath, parseCondition } from './conditions';
export { ExpressionError, type AttributeValue, type ExpressionContext, type Item } from './parser';
export { parseUpdate, type ParsedUpdate } from './updates';
