using System.Collections;
using System.Globalization;
using System.Linq.Expressions;
using Mongo.Bson;
using Mongo.Bson.Serialization;

namespace Mongo.Driver.Linq;

/// <summary>Renders member-access expressions (<c>p => p.Home.City</c>, <c>p => p.Items[0].Sku</c>) to element paths.</summary>
internal static class FieldPaths
{
    /// <summary>Renders a field selector against the document model.</summary>
    /// <exception cref="MongoNotSupportedException">The selector is not a member path.</exception>
    public static RenderedField Resolve(LambdaExpression selector, BsonTypeInfo root) =>
        TryResolve(selector.Body, selector.Parameters[0], root) ?? throw NotAPath(selector.Body);

    /// <summary>Renders a member path rooted at <paramref name="parameter"/>, or null when the expression is not one.</summary>
    public static RenderedField? TryResolve(Expression expression, ParameterExpression parameter, BsonTypeInfo root)
    {
        switch (expression)
        {
            case ParameterExpression p when p == parameter:
                return new RenderedField(string.Empty, root);

            case UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked or ExpressionType.TypeAs } convert:
                // Boxing (object selectors), enum-to-underlying and nullable lifting do not change the stored field.
                return TryResolve(convert.Operand, parameter, root);

            case MemberExpression { Expression: { } inner } member:
            {
                if (TryResolve(inner, parameter, root) is not { } parent)
                {
                    return null;
                }

                if (member.Member.Name == "Value" && Nullable.GetUnderlyingType(inner.Type) is not null)
                {
                    return parent;
                }

                var info = parent.TypeInfo;
                if (info is null || info.Kind != BsonTypeInfoKind.Object || FindMember(info, member.Member) is not { } mapped)
                {
                    throw new MongoNotSupportedException(
                        $"{member} cannot be translated: {member.Member.Name} is not a serialized member of {inner.Type} (it is ignored, computed, or the type is not mapped as a document).");
                }

                return new RenderedField(Join(parent.Path, mapped.ElementName), mapped.MemberTypeInfo);
            }

            case BinaryExpression { NodeType: ExpressionType.ArrayIndex } index when ExpressionValues.IsClosed(index.Right):
                return Item(index.Left, index.Right, parameter, root);

            case MethodCallExpression { Method.Name: "get_Item", Object: { } target, Arguments.Count: 1 } call when ExpressionValues.IsClosed(call.Arguments[0]):
                return Item(target, call.Arguments[0], parameter, root);

            case MethodCallExpression { Method.Name: "ElementAt", Object: null, Arguments.Count: 2 } call
                when call.Method.DeclaringType == typeof(Enumerable) && ExpressionValues.IsClosed(call.Arguments[1]):
                return Item(call.Arguments[0], call.Arguments[1], parameter, root);

            case MethodCallExpression { Object: null } call when call.Method.DeclaringType == typeof(MongoPositional):
                return Positional(call, parameter, root);

            default:
                return null;
        }
    }

    /// <summary>
    /// The mapped member, on the model itself or, after a downcast (<c>((Dog)a.Pet).Bark</c>), on the known derived
    /// type that declares it: the element lives in the same document, only the nominal model lacks it.
    /// </summary>
    private static BsonMemberInfo? FindMember(BsonTypeInfo info, System.Reflection.MemberInfo member)
    {
        if (info.GetMember(member.Name) is { } mapped)
        {
            return mapped;
        }

        foreach (var derived in info.DerivedTypes)
        {
            if (member.DeclaringType is { } declaring && declaring.IsAssignableFrom(derived.Type) && FindMember(derived, member) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    public static string Join(string parent, string element) => parent.Length == 0 ? element : parent + "." + element;

    public static MongoNotSupportedException NotAPath(Expression expression) =>
        new($"{expression} cannot be translated: a field must be a member path such as p => p.Home.City or p => p.Items[0].Sku.");

    private static RenderedField? Item(Expression collection, Expression key, ParameterExpression parameter, BsonTypeInfo root)
    {
        if (TryResolve(collection, parameter, root) is not { } parent)
        {
            return null;
        }

        var segment = ExpressionValues.Evaluate(key) switch
        {
            int i when i >= 0 => i.ToString(CultureInfo.InvariantCulture),
            string s when s.Length > 0 && !s.Contains('.') && !s.StartsWith('$') => s,
            var other => throw new MongoNotSupportedException($"{collection}[{other}] cannot be translated: an index must be a non-negative integer or a dictionary key without '.' or a leading '$'."),
        };
        return new RenderedField(Join(parent.Path, segment), parent.ItemTypeInfo);
    }

    private static RenderedField? Positional(MethodCallExpression call, ParameterExpression parameter, BsonTypeInfo root)
    {
        if (TryResolve(call.Arguments[0], parameter, root) is not { } parent)
        {
            return null;
        }

        var segment = call.Method.Name switch
        {
            nameof(MongoPositional.FirstMatchingElement) => "$",
            nameof(MongoPositional.AllElements) => "$[]",
            nameof(MongoPositional.AllMatchingElements) => "$[" + ExpressionValues.Evaluate(call.Arguments[1]) + "]",
            _ => throw NotAPath(call),
        };
        return new RenderedField(Join(parent.Path, segment), parent.ItemTypeInfo);
    }

    /// <summary>Encodes a value as the field stores it: with its model when there is one (representation, enum form).</summary>
    public static BsonValue Encode(BsonTypeInfo? info, object? value)
    {
        switch (value)
        {
            case null:
                return BsonNull.Value;
            case BsonValue bson:
                return bson;
        }

        if (info is null)
        {
            return value is Enum ? BsonValue.Create(Convert.ChangeType(value, Enum.GetUnderlyingType(value.GetType()), CultureInfo.InvariantCulture)) : BsonValue.Create(value);
        }

        Type target = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        if (!target.IsInstanceOfType(value))
        {
            value = ConvertTo(value, target);
        }

        return info.ToBsonValue(value);
    }

    /// <summary>Encodes each item of a local sequence with the item model.</summary>
    public static BsonArray EncodeAll(BsonTypeInfo? itemInfo, IEnumerable values)
    {
        var array = new BsonArray();
        foreach (object? value in values)
        {
            array.Add(Encode(itemInfo, value));
        }

        return array;
    }

    private static object ConvertTo(object value, Type target)
    {
        try
        {
            // Expressions compare an int? member with an int constant, a long member with an int literal, an enum
            // member with its underlying value after the compiler's conversion: bring the value to the member's type.
            if (target.IsEnum)
            {
                return Enum.ToObject(target, value);
            }

            if (value is Enum)
            {
                value = Convert.ChangeType(value, Enum.GetUnderlyingType(value.GetType()), CultureInfo.InvariantCulture);
            }

            return Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
            throw new ArgumentException($"A value of {value.GetType()} cannot be stored in a field of {target}.", nameof(value), e);
        }
    }
}
