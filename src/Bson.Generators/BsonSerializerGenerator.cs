using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Mongo.Bson.Generators;

/// <summary>
/// Fills each <c>[BsonSerializable(typeof(T))] partial class X : BsonSerializerContext</c> with a model and a
/// straight-line serializer for every type reachable from its roots.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class BsonSerializerGenerator : IIncrementalGenerator
{
    internal const string SerializableAttribute = "Mongo.Bson.Serialization.BsonSerializableAttribute";

    /// <summary>The tracking name of the step whose output is the equatable model (tests check it stays cached).</summary>
    public const string ModelStep = "BsonContextModel";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ContextSpec> contexts = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                SerializableAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => Parser.Parse(ctx, ct))
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(ModelStep);

        context.RegisterSourceOutput(contexts, static (spc, spec) =>
        {
            foreach (DiagnosticSpec diagnostic in spec.Diagnostics)
            {
                spc.ReportDiagnostic(diagnostic.ToDiagnostic());
            }

            spc.AddSource(spec.HintName, Emitter.Emit(spec));
        });
    }
}
