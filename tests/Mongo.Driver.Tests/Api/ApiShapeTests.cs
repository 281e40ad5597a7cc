using System.Reflection;
using Mongo.Bson;
using Xunit;

namespace Mongo.Driver.Tests.Api;

/// <summary>
/// The public API's shape rules, checked by reflection so a new method cannot forget them: every operation that
/// talks to the server has a synchronous and an <c>...Async</c> form with the same parameters, and both take a
/// <see cref="CancellationToken"/>.
/// </summary>
public sealed class ApiShapeTests
{
    public static TheoryData<Type> ApiTypes() =>
    [
        typeof(MongoClient),
        typeof(MongoDatabase),
        typeof(MongoCollection<BsonDocument>),
        typeof(FindFluent<BsonDocument>),
        typeof(MongoCursor<BsonDocument>),
        typeof(MongoSession),
    ];

    // Interface members whose shape the BCL fixes: IAsyncEnumerable and IAsyncDisposable.
    // ToEnumerable is the synchronous twin of the async enumeration itself (await foreach over FindFluent), not of a ToEnumerableAsync.
    private static readonly HashSet<string> BclAsyncMembers = ["GetAsyncEnumerator", "DisposeAsync", "ToEnumerable"];

    private static IEnumerable<MethodInfo> PublicMethods(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Where(m => !m.IsSpecialName);

    private static bool IsAsync(MethodInfo method) =>
        method.ReturnType == typeof(Task) || method.ReturnType == typeof(ValueTask)
        || (method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() is var d && (d == typeof(Task<>) || d == typeof(ValueTask<>)));

    private static string Signature(MethodInfo method) =>
        string.Join(", ", method.GetParameters().Select(p => ParameterName(p.ParameterType)));

    /// <summary>
    /// A parameter's type as the twins must share it: a callback's async form returns a task where the sync form returns a
    /// value or nothing (WithTransactionAsync's Func&lt;..., Task&lt;T&gt;&gt; is the twin of WithTransaction's Func&lt;..., T&gt;).
    /// </summary>
    private static string ParameterName(Type type)
    {
        if (type.IsGenericParameter)
        {
            return "T";
        }

        if (type.IsGenericType && typeof(Delegate).IsAssignableFrom(type))
        {
            Type[] arguments = type.GetGenericArguments();
            Type result = arguments[^1];
            bool func = type.GetGenericTypeDefinition().Name.StartsWith("Func", StringComparison.Ordinal);
            if (func && (result == typeof(Task) || result.IsGenericParameter || (result.IsGenericType && result.GetGenericTypeDefinition() == typeof(Task<>))))
            {
                // Func<..., Task> ~ Action<...>, Func<..., Task<T>> ~ Func<..., T>.
                string returns = result == typeof(Task) ? "void" : "T";
                return "callback(" + string.Join(", ", arguments[..^1].Select(ParameterName)) + ") -> " + returns;
            }

            if (!func)
            {
                return "callback(" + string.Join(", ", arguments.Select(ParameterName)) + ") -> void";
            }
        }

        return type.ToString();
    }

    [Theory]
    [MemberData(nameof(ApiTypes))]
    public void EveryAsyncMethodTakesACancellationTokenAndHasASyncTwin(Type type)
    {
        var methods = PublicMethods(type).ToList();
        var problems = new List<string>();
        foreach (var method in methods.Where(IsAsync).Where(m => !BclAsyncMembers.Contains(m.Name)))
        {
            if (!method.Name.EndsWith("Async", StringComparison.Ordinal))
            {
                problems.Add(method.Name + " returns a task but is not named ...Async");
                continue;
            }

            var parameters = method.GetParameters();
            if (parameters.Length == 0 || parameters[^1].ParameterType != typeof(CancellationToken) || !parameters[^1].HasDefaultValue)
            {
                problems.Add(method.Name + "(" + Signature(method) + ") does not end with an optional CancellationToken");
            }

            string syncName = method.Name[..^"Async".Length];
            if (!methods.Any(m => m.Name == syncName && !IsAsync(m) && Signature(m) == Signature(method)))
            {
                problems.Add(method.Name + "(" + Signature(method) + ") has no synchronous " + syncName + " with the same parameters");
            }
        }

        Assert.True(problems.Count == 0, type.Name + ":\n" + string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(ApiTypes))]
    public void EverySyncOperationHasAnAsyncTwin(Type type)
    {
        var methods = PublicMethods(type).ToList();
        var problems = new List<string>();

        // A synchronous method that takes a CancellationToken does I/O; it needs its async form.
        foreach (var method in methods.Where(m => !IsAsync(m) && !BclAsyncMembers.Contains(m.Name) && m.GetParameters().Any(p => p.ParameterType == typeof(CancellationToken))))
        {
            if (!methods.Any(m => m.Name == method.Name + "Async" && IsAsync(m) && Signature(m) == Signature(method)))
            {
                problems.Add(method.Name + "(" + Signature(method) + ") has no " + method.Name + "Async with the same parameters");
            }
        }

        Assert.True(problems.Count == 0, type.Name + ":\n" + string.Join("\n", problems));
    }

    [Fact]
    public void TheIssuesOperationsAllExist()
    {
        string[] collection =
        [
            "InsertOne", "InsertMany", "FindOne", "CountDocuments", "EstimatedDocumentCount", "Distinct", "UpdateOne", "UpdateMany",
            "ReplaceOne", "DeleteOne", "DeleteMany", "FindOneAndUpdate", "FindOneAndReplace", "FindOneAndDelete", "BulkWrite",
            "Aggregate", "CreateIndex", "CreateIndexes", "ListIndexes", "DropIndex", "DropIndexes",
        ];
        string[] database = ["ListCollectionNames", "DropCollection", "RunCommand", "CreateCollection", "Aggregate"];
        string[] client = ["ListDatabaseNames", "DropDatabase"];
        string[] fluent = ["ToList", "FirstOrDefault", "ToCursor"];
        string[] modifiers = ["Sort", "Limit", "Skip", "Project", "BatchSize", "Hint", "Comment", "MaxTime"];
        var missing = new List<string>();
        void Check(Type type, IEnumerable<string> names, bool async)
        {
            var methods = PublicMethods(type).Select(m => m.Name).ToHashSet();
            foreach (var name in names)
            {
                foreach (var wanted in async ? [name, name + "Async"] : new[] { name })
                {
                    if (!methods.Contains(wanted))
                    {
                        missing.Add(type.Name + "." + wanted);
                    }
                }
            }
        }

        Check(typeof(MongoCollection<BsonDocument>), collection, async: true);
        Check(typeof(MongoDatabase), database, async: true);
        Check(typeof(MongoClient), client, async: true);
        Check(typeof(FindFluent<BsonDocument>), fluent, async: true);
        Check(typeof(FindFluent<BsonDocument>), modifiers, async: false);
        Assert.Empty(missing);
        Assert.True(typeof(IAsyncEnumerable<BsonDocument>).IsAssignableFrom(typeof(FindFluent<BsonDocument>)));
        Assert.True(typeof(IAsyncDisposable).IsAssignableFrom(typeof(MongoClient)));
        Assert.True(typeof(System.Data.Common.DbException).IsAssignableFrom(typeof(MongoException)));
    }
}
