using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Mongo.Bson.Internal;

/// <summary>
/// The check at the top of each level of a recursive walk over the DOM (equality, hashing, comparison, cloning,
/// sizing, JSON output). A depth past <see cref="BsonLimits.MaxDepth"/> is an error; so is a thread whose stack
/// is nearly exhausted before that (a small custom thread stack), because a stack overflow cannot be caught.
/// </summary>
internal static class DepthGuard
{
    /// <summary>Throws when <paramref name="depth"/> (1 for the top-level container) is too deep to continue.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Enter(int depth, string operation)
    {
        if (depth > BsonLimits.MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            ThrowTooDeep(depth, operation);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooDeep(int depth, string operation)
    {
        throw depth > BsonLimits.MaxDepth
            ? TooDeep(operation)
            : BsonErrors.Misuse($"{operation}: not enough stack left on this thread for a document nested {depth} levels deep.");
    }

    /// <summary>The error for a DOM nested deeper than <see cref="BsonLimits.MaxDepth"/> (or containing a cycle).</summary>
    public static BsonException TooDeep(string operation) => BsonErrors.Misuse(
        $"{operation}: documents and arrays are nested more than {BsonLimits.MaxDepth} levels deep " +
        $"(BsonLimits.MaxDepth), or a document contains itself.");
}
