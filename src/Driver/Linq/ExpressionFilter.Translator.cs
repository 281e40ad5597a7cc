using System.Collections;
using System.Linq.Expressions;
using System.Text.RegularExpressions;
using Mongo.Bson;
using Mongo.Bson.Serialization;

namespace Mongo.Driver.Linq;

internal static partial class ExpressionFilter
{
    private sealed class Translator(ParameterExpression parameter, BsonTypeInfo root)
    {
        public BsonDocument Filter(Expression expression)
        {
            switch (expression)
            {
                case var closed when ExpressionValues.IsClosed(closed):
                    // A captured flag (flag && p.Age > 3): true matches everything, false nothing (every document has an _id).
                    return ExpressionValues.Evaluate(closed) is true ? [] : new BsonDocument("_id", new BsonDocument("$exists", false));
                case BinaryExpression { NodeType: ExpressionType.AndAlso or ExpressionType.And } both when both.Type == typeof(bool):
                    return Driver.Filter.AndDocuments([Filter(both.Left), Filter(both.Right)]);
                case BinaryExpression { NodeType: ExpressionType.OrElse or ExpressionType.Or } either when either.Type == typeof(bool):
                    return Driver.Filter.OrDocuments([Filter(either.Left), Filter(either.Right)]);
                case UnaryExpression { NodeType: ExpressionType.Not } negation when negation.Type == typeof(bool):
                    return Driver.Filter.NotDocument(Filter(negation.Operand));
                case BinaryExpression { NodeType: ExpressionType.Equal or ExpressionType.NotEqual or ExpressionType.LessThan or ExpressionType.LessThanOrEqual or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual } comparison:
                    return Comparison(comparison);
                case MethodCallExpression call:
                    return Method(call);
                case MemberExpression { Member.Name: "HasValue", Expression: { } inner } when Nullable.GetUnderlyingType(inner.Type) is not null:
                    return new BsonDocument(Field(inner, expression).Path, new BsonDocument("$ne", BsonNull.Value));
                case UnaryExpression { NodeType: ExpressionType.Convert } convert when convert.Type == typeof(bool) || convert.Type == typeof(bool?):
                    return Filter(convert.Operand);
                case var member when (member.Type == typeof(bool) || member.Type == typeof(bool?)) && TryField(member) is { } field:
                    return new BsonDocument(field.Path, true);
                default:
                    throw NotSupported(expression);
            }
        }

        private RenderedField? TryField(Expression expression) => FieldPaths.TryResolve(expression, parameter, root);

        private RenderedField Field(Expression expression, Expression whole) =>
            TryField(expression) ?? throw NotSupported(expression, $"in {whole}, it is neither a document member path nor a closed value");

        private BsonDocument Comparison(BinaryExpression comparison)
        {
            Expression left = comparison.Left, right = comparison.Right;
            ExpressionType op = comparison.NodeType;
            if (ExpressionValues.IsClosed(left) && !ExpressionValues.IsClosed(right))
            {
                (left, right) = (right, left);
                op = Flip(op);
            }

            if (!ExpressionValues.IsClosed(right))
            {
                throw NotSupported(comparison, "comparing two document fields needs $expr, which expression filters do not generate");
            }

            if (SizeOf(left) is { } sized)
            {
                return Size(comparison, sized, op, ExpressionValues.Evaluate(right));
            }

            var field = Field(left, comparison);
            var value = FieldPaths.Encode(field.TypeInfo, ExpressionValues.Evaluate(right));
            return op == ExpressionType.Equal ? new BsonDocument(field.Path, value) : new BsonDocument(field.Path, new BsonDocument(Operator(op), value));
        }

        private BsonDocument Size(Expression comparison, RenderedField field, ExpressionType op, object? value)
        {
            if (value is not int size)
            {
                throw NotSupported(comparison, "an array size compares with an integer");
            }

            return op switch
            {
                ExpressionType.Equal => new BsonDocument(field.Path, new BsonDocument("$size", size)),
                ExpressionType.NotEqual => new BsonDocument(field.Path, new BsonDocument("$not", new BsonDocument("$size", size))),
                // Count > 0 and Count != 0 mean "not empty", the one inequality $size can express.
                ExpressionType.GreaterThan when size == 0 => NotEmpty(field),
                ExpressionType.GreaterThanOrEqual when size == 1 => NotEmpty(field),
                _ => throw NotSupported(comparison, "$size only tests equality; use Count == n, != n, or > 0"),
            };
        }

        private RenderedField? SizeOf(Expression expression) => expression switch
        {
            MemberExpression { Member.Name: "Count" or "Length", Expression: { } inner } when inner.Type != typeof(string) && TryField(inner) is { } field => field,
            UnaryExpression { NodeType: ExpressionType.ArrayLength, Operand: var array } when TryField(array) is { } field => field,
            MethodCallExpression { Method.Name: "Count", Object: null, Arguments.Count: 1 } call when call.Method.DeclaringType == typeof(Enumerable) && TryField(call.Arguments[0]) is { } field => field,
            _ => null,
        };

        private static BsonDocument NotEmpty(RenderedField field) =>
            new(field.Path, new BsonDocument { { "$ne", BsonNull.Value }, { "$not", new BsonDocument("$size", 0) } });

        private static ExpressionType Flip(ExpressionType op) => op switch
        {
            ExpressionType.LessThan => ExpressionType.GreaterThan,
            ExpressionType.LessThanOrEqual => ExpressionType.GreaterThanOrEqual,
            ExpressionType.GreaterThan => ExpressionType.LessThan,
            ExpressionType.GreaterThanOrEqual => ExpressionType.LessThanOrEqual,
            _ => op,
        };

        private static string Operator(ExpressionType op) => op switch
        {
            ExpressionType.NotEqual => "$ne",
            ExpressionType.LessThan => "$lt",
            ExpressionType.LessThanOrEqual => "$lte",
            ExpressionType.GreaterThan => "$gt",
            ExpressionType.GreaterThanOrEqual => "$gte",
            _ => "$eq",
        };

        private BsonDocument Method(MethodCallExpression call)
        {
            var method = call.Method;
            var args = call.Arguments;
            if (method.Name == "Equals" && method.ReturnType == typeof(bool))
            {
                // x.Equals(y) and object.Equals(x, y) are equality; the comparison handles which side is the field.
                var (a, b) = call.Object is { } target && args.Count == 1 ? (target, args[0]) : args.Count == 2 ? (args[0], args[1]) : (null, null);
                if (a is not null && b is not null)
                {
                    return Comparison(Expression.MakeBinary(ExpressionType.Equal, Unbox(a), Unbox(b), liftToNull: false, method: null));
                }
            }

            if (method.DeclaringType == typeof(string))
            {
                return StringMethod(call);
            }

            if (method.DeclaringType == typeof(Regex) && method.Name == nameof(Regex.IsMatch))
            {
                return RegexMatch(call);
            }

            if (method.Name == "Contains")
            {
                return Contains(call);
            }

            if (method.Name == "Any" && method.DeclaringType == typeof(Enumerable))
            {
                var field = Field(args[0], call);
                return args.Count == 1 ? NotEmpty(field) : new BsonDocument(field.Path, ElemMatch(call, field, (LambdaExpression)StripQuote(args[1])));
            }

            if (method.Name == "ContainsKey" && call.Object is { } dictionary && args.Count == 1 && ExpressionValues.IsClosed(args[0]))
            {
                var field = Field(dictionary, call);
                return new BsonDocument(FieldPaths.Join(field.Path, Convert.ToString(ExpressionValues.Evaluate(args[0]), System.Globalization.CultureInfo.InvariantCulture)!), new BsonDocument("$exists", true));
            }

            throw NotSupported(call);
        }

        private static Expression Unbox(Expression expression) =>
            expression is UnaryExpression { NodeType: ExpressionType.Convert } convert && convert.Type == typeof(object) ? convert.Operand : expression;

        private static Expression StripQuote(Expression expression) => expression is UnaryExpression { NodeType: ExpressionType.Quote } quote ? quote.Operand : expression;

        private BsonDocument ElemMatch(Expression call, RenderedField field, LambdaExpression predicate)
        {
            var item = field.ItemTypeInfo ?? throw NotSupported(call, "the field is not a collection in the document model");
            var sub = new Translator(predicate.Parameters[0], item).Filter(predicate.Body);
            if (item.Kind == BsonTypeInfoKind.Object)
            {
                return new BsonDocument("$elemMatch", sub);
            }

            // Scalar items: the item itself is the field with an empty path ({"": {$gt: 5}}); $elemMatch takes the operators.
            return new BsonDocument("$elemMatch", ScalarConditions(call, sub));
        }

        private static BsonDocument ScalarConditions(Expression call, BsonDocument sub)
        {
            var clauses = sub.ElementCount == 1 && sub.GetElement(0).Name == "$and" && sub[0] is BsonArray conjunction
                ? conjunction.Select(c => c.AsDocument).ToList()
                : [sub];
            var operators = new BsonDocument();
            foreach (var clause in clauses)
            {
                if (clause.ElementCount != 1 || clause.GetElement(0).Name.Length != 0)
                {
                    throw NotSupported(call, "on scalar items, Any() supports comparisons of the item combined with &&");
                }

                var condition = clause[0] switch
                {
                    BsonDocument ops when ops.ElementCount > 0 && ops.GetElement(0).Name.StartsWith('$') => ops,
                    BsonRegularExpression regex => new BsonDocument("$regex", regex),
                    var value => new BsonDocument("$eq", value),
                };
                foreach (var element in condition)
                {
                    if (operators.Contains(element.Name))
                    {
                        throw NotSupported(call, $"the operator {element.Name} appears twice");
                    }

                    operators.Add(element.Name, element.Value);
                }
            }

            return operators;
        }

        private BsonDocument Contains(MethodCallExpression call)
        {
            Expression? collection, item;
            if (call.Object is { } target && call.Arguments.Count == 1)
            {
                (collection, item) = (target, call.Arguments[0]);
            }
            else if (call.Object is null && call.Arguments.Count is 2 or 3)
            {
                (collection, item) = (SpanSource(call.Arguments[0]), call.Arguments[1]);
                if (call.Arguments.Count == 3 && !(ExpressionValues.IsClosed(call.Arguments[2]) && ExpressionValues.Evaluate(call.Arguments[2]) is null))
                {
                    throw NotSupported(call, "a custom equality comparer cannot run on the server");
                }
            }
            else
            {
                throw NotSupported(call);
            }

            if (ExpressionValues.IsClosed(collection) && TryField(item) is { } field)
            {
                var values = ExpressionValues.Evaluate(collection) as IEnumerable ?? throw NotSupported(call, "the local collection is null");
                return new BsonDocument(field.Path, new BsonDocument("$in", FieldPaths.EncodeAll(field.TypeInfo, values)));
            }

            if (ExpressionValues.IsClosed(item) && TryField(collection) is { } array && collection.Type != typeof(string))
            {
                return new BsonDocument(array.Path, FieldPaths.Encode(array.ItemTypeInfo, ExpressionValues.Evaluate(item)));
            }

            throw NotSupported(call, "Contains needs a local collection and a document field, or a collection field and a local value");
        }

        /// <summary>
        /// C# 14 binds <c>array.Contains(x)</c> to <c>MemoryExtensions.Contains(ReadOnlySpan&lt;T&gt;, T)</c> through an implicit
        /// span conversion; the span cannot be evaluated (or boxed), so take the array it was made from.
        /// </summary>
        private static Expression SpanSource(Expression expression) => expression switch
        {
            MethodCallExpression { Method.Name: "op_Implicit", Arguments.Count: 1 } conversion => conversion.Arguments[0],
            UnaryExpression { NodeType: ExpressionType.Convert, Method.Name: "op_Implicit" } conversion => conversion.Operand,
            _ => expression,
        };

        private BsonDocument StringMethod(MethodCallExpression call)
        {
            var args = call.Arguments;
            switch (call.Method.Name)
            {
                case nameof(string.IsNullOrEmpty) when call.Object is null:
                    return new BsonDocument(Field(args[0], call).Path, new BsonDocument("$in", new BsonArray { BsonNull.Value, "" }));
                case nameof(string.IsNullOrWhiteSpace) when call.Object is null:
                    return new BsonDocument(Field(args[0], call).Path, new BsonDocument("$in", new BsonArray { BsonNull.Value, new BsonRegularExpression(@"^\s*$") }));
                case nameof(string.StartsWith) or nameof(string.EndsWith) or nameof(string.Contains) when call.Object is { } target:
                {
                    var field = Field(target, call);
                    if (args.Count == 0 || !args.All(ExpressionValues.IsClosed))
                    {
                        throw NotSupported(call, "the text to look for must be a local value");
                    }

                    var text = ExpressionValues.Evaluate(args[0]) switch
                    {
                        string s => s,
                        char c => c.ToString(),
                        _ => throw NotSupported(call, "the text to look for is null"),
                    };
                    var options = args.Count == 2 ? ExpressionValues.Evaluate(args[1]) switch
                    {
                        StringComparison.OrdinalIgnoreCase or StringComparison.CurrentCultureIgnoreCase or StringComparison.InvariantCultureIgnoreCase => "i",
                        StringComparison => "",
                        _ => throw NotSupported(call, "only a StringComparison argument is supported"),
                    } : args.Count == 1 ? "" : throw NotSupported(call);
                    var escaped = EscapePcre(text);
                    var pattern = call.Method.Name switch
                    {
                        nameof(string.StartsWith) => "^" + escaped,
                        nameof(string.EndsWith) => escaped + "$",
                        _ => escaped,
                    };
                    return new BsonDocument(field.Path, new BsonRegularExpression(pattern, options));
                }

                default:
                    throw NotSupported(call);
            }
        }

        private BsonDocument RegexMatch(MethodCallExpression call)
        {
            var args = call.Arguments;
            if (call.Object is { } regex)
            {
                // A static or captured Regex instance: its pattern and options go to the server.
                if (args.Count != 1 || !ExpressionValues.IsClosed(regex) || ExpressionValues.Evaluate(regex) is not Regex instance)
                {
                    throw NotSupported(call, "the Regex must be a local instance and the input a document field");
                }

                return new BsonDocument(Field(args[0], call).Path, ToBsonRegex(instance));
            }

            if (args.Count is 2 or 3 && args.Skip(1).All(ExpressionValues.IsClosed))
            {
                var pattern = ExpressionValues.Evaluate(args[1]) as string ?? throw NotSupported(call, "the pattern is null");
                var options = args.Count == 3 ? (RegexOptions)ExpressionValues.Evaluate(args[2])! : RegexOptions.None;
                return new BsonDocument(Field(args[0], call).Path, ToBsonRegex(new Regex(pattern, options)));
            }

            throw NotSupported(call, "the pattern and options must be local values");
        }
    }
}
