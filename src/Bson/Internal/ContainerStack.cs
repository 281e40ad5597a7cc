using System.Runtime.CompilerServices;

namespace Mongo.Bson.Internal;

/// <summary>
/// One open container of a <see cref="BsonReader"/>: where its parent ends (high bit set when the parent is an
/// array) and where the name of the element that opened it starts (for error paths).
/// </summary>
internal struct ContainerFrame
{
    public int ParentEnd;
    public int NameStart;
}

/// <summary>
/// The first frames live inline in the reader so that typical documents are walked without allocating;
/// deeper nesting spills into a heap array.
/// </summary>
[InlineArray(InlineCapacity)]
internal struct InlineFrames
{
    public const int InlineCapacity = 12;

    private ContainerFrame _first;
}
