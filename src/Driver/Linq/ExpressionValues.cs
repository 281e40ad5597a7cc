using System.Linq.Expressions;
using System.Reflection;

namespace Mongo.Driver.Linq;

/// <summary>
/// Evaluates the closed-over parts of an expression (constants, captured variables, members of them) on the client.
/// Anything that reads the document parameter is never evaluated: it must be translated or rejected.
/// </summary>
internal static class ExpressionValues
{
    /// <summary>Whether the expression can be evaluated without the document (it references no parameter).</summary>
    public static bool IsClosed(Expression expression) => !new ParameterFinder().Finds(expression);

    /// <summary>Evaluates a closed expression; captured variables are read by reflection, other shapes run interpreted.</summary>
    public static object? Evaluate(Expression expression)
    {
        switch (expression)
        {
            case ConstantExpression constant:
                return constant.Value;
            case MemberExpression { Member: FieldInfo field } member:
                return field.GetValue(member.Expression is null ? null : Evaluate(member.Expression));
            case MemberExpression { Member: PropertyInfo property } member:
                return property.GetValue(member.Expression is null ? null : Evaluate(member.Expression));
            case UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert
                when convert.Method is null && Nullable.GetUnderlyingType(convert.Type) is { } underlying && underlying == convert.Operand.Type:
                return Evaluate(convert.Operand);
            default:
                // Interpretation keeps this usable without dynamic code (AOT); the sub-tree holds no document member.
                var lambda = Expression.Lambda<Func<object?>>(Expression.Convert(expression, typeof(object)));
                return lambda.Compile(preferInterpretation: true)();
        }
    }

    private sealed class ParameterFinder : ExpressionVisitor
    {
        private bool _found;

        public bool Finds(Expression expression)
        {
            Visit(expression);
            return _found;
        }

        public override Expression? Visit(Expression? node) => _found ? node : base.Visit(node);

        protected override Expression VisitParameter(ParameterExpression node)
        {
            _found = true;
            return node;
        }

    }
}
