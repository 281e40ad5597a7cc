using System.Collections;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Mongo.Bson;
using Mongo.Bson.Serialization;

namespace Mongo.Driver.Linq;

/// <summary>
/// Translates a predicate over documents to an MQL filter, against the document model. Document members become element
/// paths; only closed sub-trees (constants, captured variables) are evaluated; anything else is rejected with
/// <see cref="MongoNotSupportedException"/> naming the sub-expression.
/// </summary>
internal static partial class ExpressionFilter
{
    public static BsonDocument Translate(LambdaExpression predicate, BsonTypeInfo root) =>
        new Translator(predicate.Parameters[0], root).Filter(predicate.Body);

    /// <summary>A .NET regex as a BSON regex: its pattern as is, and the options the server knows (i, m, x, s).</summary>
    public static BsonRegularExpression ToBsonRegex(Regex regex)
    {
        var options = new StringBuilder();
        if (regex.Options.HasFlag(RegexOptions.IgnoreCase))
        {
            options.Append('i');
        }

        if (regex.Options.HasFlag(RegexOptions.Multiline))
        {
            options.Append('m');
        }

        if (regex.Options.HasFlag(RegexOptions.Singleline))
        {
            options.Append('s');
        }

        if (regex.Options.HasFlag(RegexOptions.IgnorePatternWhitespace))
        {
            options.Append('x');
        }

        return new BsonRegularExpression(regex.ToString(), options.ToString());
    }

    /// <summary>
    /// Escapes text for a PCRE pattern. Regex.Escape targets .NET syntax (it escapes spaces and '#', and not '}' or ']'),
    /// so the server would read some of its output differently; here every PCRE metacharacter, and only those, is escaped.
    /// </summary>
    public static string EscapePcre(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            if (c is '\\' or '^' or '$' or '.' or '|' or '?' or '*' or '+' or '(' or ')' or '[' or ']' or '{' or '}' or '-' or '/')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    internal static MongoNotSupportedException NotSupported(Expression expression, string? why = null) =>
        new($"The expression {expression} cannot be translated to a MongoDB filter{(why is null ? "." : ": " + why + ".")} Nothing is evaluated on the client; rewrite the predicate or use a filter builder.");
}
