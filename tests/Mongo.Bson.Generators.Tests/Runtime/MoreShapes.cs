using Mongo.Bson.Serialization;

namespace Mongo.Bson.Generators.Tests.Runtime;

// Shapes that exercise generator paths the shared TypedShapes do not: interface hierarchies, private struct members
// (by-ref accessors), closed generics, serialize-only members, enum policies, snake case.

public enum Colour
{
    Red = 1,
    Green = 2,
}

[BsonKnownTypes(typeof(Circle), typeof(Square))]
public interface IShape
{
    string Kind { get; }
}

public sealed class Circle : IShape
{
    public string Kind => "circle";

    public double Radius { get; set; }
}

[BsonDiscriminator("sq")]
public sealed class Square : IShape
{
    public string Kind => "square";

    public double Side { get; set; }
}

public class Drawing
{
    public List<IShape> Shapes { get; set; } = [];

    public IShape? Main { get; set; }
}

public struct Counter
{
    [BsonElement("n")]
    private int _count;

    public string Label { get; set; }

    public readonly int Count => _count;

    public void Increment() => _count++;
}

public class Wrapper<T>
{
    public T? Value { get; set; }

    public List<T> Many { get; set; } = [];
}

public class Settings
{
    public Colour Colour { get; set; }

    public Colour? MaybeColour { get; set; }

    [BsonRepresentation(BsonType.String)]
    public Colour Named { get; set; }

    [BsonRepresentation(BsonType.String)]
    public ObjectId Reference { get; set; }

    [BsonRepresentation(BsonType.ObjectId)]
    public string? Link { get; set; }

    public string FullName { get; private set; } = "";

    [BsonElement]
    public int Computed => FullName.Length;

    public void Rename(string name) => FullName = name;
}

[BsonSerializable(typeof(Drawing))]
[BsonSerializable(typeof(Counter))]
[BsonSerializable(typeof(Wrapper<int>))]
[BsonSerializable(typeof(Wrapper<Address>))]
[BsonSerializable(typeof(Settings))]
public partial class MoreBson : BsonSerializerContext
{
}

[BsonSourceGenerationOptions(NamingConvention = BsonNamingConvention.SnakeCaseLower, EnumRepresentation = BsonEnumRepresentation.String)]
[BsonSerializable(typeof(Settings))]
public partial class SnakeBson : BsonSerializerContext
{
}
