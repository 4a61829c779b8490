import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateResolver, DateTimeResolver } from 'graphql-scalars';

const DECIMAL = /^-?\d{1,10}(\.\d{1,4})?$/;

function parseDecimal(value: unknown): string {
  const s = typeof value === 'number' ? String(value) : value;
  if (typeof s !== 'string' || !DECIMAL.test(s.trim())) {
    throw new GraphQLError(`Decimal must be a number with at most 10 digits before and 4 after the point, e.g. "129.90" (got ${JSON.stringify(value)}).`);
  }
  return s.trim();
}

/** Exact decimal (money) carried as a string so no precision is lost. */
export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  serialize: (v) => {
    if (typeof v === 'number') return String(v);
    if (typeof v !== 'string') throw new GraphQLError('Decimal cannot represent a non-numeric value.');
    // numeric(14,4) columns come back as "129.9000": drop trailing zeros past two decimals.
    return v.includes('.') ? v.replace(/(\.\d\d\d*?)0+$/, '$1') : v;
  },
  parseValue: parseDecimal,
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING || ast.kind === Kind.FLOAT || ast.kind === Kind.INT) return parseDecimal(ast.value);
    throw new GraphQLError('Decimal must be given as a string, e.g. "129.90".');
  },
});

export const scalarResolvers = {
  DateTime: DateTimeResolver,
  Date: DateResolver,
  Decimal: DecimalScalar,
};
