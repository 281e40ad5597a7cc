using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Mongo.Bson.Tests.Typed;

/// <summary>Random instances (FsCheck) of several shapes: byte-identical with the official serializer, both ways.</summary>
public class TypedRandomTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(150);

    private static Gen<string> Text => Gen.Elements("", "a", "Zoë", "日本", "x y", "emoji 🙂", "long string with spaces");

    private static Gen<Address> Addresses =>
        from street in Gen.OneOf(Gen.Constant<string?>(null), Text.Select(s => (string?)s))
        from city in Text
        from zip in ArbMap.Default.GeneratorFor<int>()
        select new Address { Street = street, City = city, Zip = zip };

    private static Gen<Person> People =>
        from id in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), 12)
        from name in Text
        from age in ArbMap.Default.GeneratorFor<int>()
        from email in Gen.OneOf(Gen.Constant<string?>(null), Text.Select(s => (string?)s))
        from tags in Gen.ListOf(Text)
        from home in Gen.OneOf(Gen.Constant<Address?>(null), Addresses.Select(a => (Address?)a))
        from scores in Gen.OneOf(Gen.Constant<int[]?>(null), Gen.ArrayOf(ArbMap.Default.GeneratorFor<int>()).Select(a => (int[]?)a))
        from status in Gen.Elements(Status.Unknown, Status.Active, Status.Suspended)
        from counter in ArbMap.Default.GeneratorFor<int>()
        select new Person
        {
            Id = new ObjectId(id), Name = name, Age = age, Email = email, Tags = [.. tags], Home = home, Scores = scores,
            Status = status, StatusName = status, Counter = counter,
        };

    private static Gen<Numbers> NumberSets =>
        from a in ArbMap.Default.GeneratorFor<short>()
        from b in ArbMap.Default.GeneratorFor<byte>()
        from c in ArbMap.Default.GeneratorFor<ushort>()
        from d in Gen.Choose(0, int.MaxValue).Select(x => (uint)x)
        from e in ArbMap.Default.GeneratorFor<long>()
        from f in ArbMap.Default.GeneratorFor<NormalFloat>()
        from g in ArbMap.Default.GeneratorFor<decimal>()
        from h in ArbMap.Default.GeneratorFor<int?>()
        from i in ArbMap.Default.GeneratorFor<Guid>()
        from j in ArbMap.Default.GeneratorFor<bool>()
        select new Numbers
        {
            Int16 = a, Byte = b, UInt16 = c, UInt32 = d, Int64 = e, Double = f.Get, Decimal = g, MaybeInt = h, Guid = i, Bool = j,
            UInt64 = (ulong)Math.Abs(e == long.MinValue ? 0 : e), Single = (float)(int)f.Get,
        };

    private static Gen<Times> TimeSets =>
        from ms in Gen.Choose(-1_000_000, 1_000_000).Select(x => x * 1_000_000L)
        from minutes in Gen.Choose(-14 * 60, 14 * 60)
        from days in Gen.Choose(0, 3_000_000)
        from ticks in Gen.Choose(0, int.MaxValue).Select(x => x * 400L)
        from span in ArbMap.Default.GeneratorFor<TimeSpan>()
        let when = DateTime.UnixEpoch.AddMilliseconds(ms)
        select new Times
        {
            When = when,
            Offset = new DateTimeOffset(when.Ticks, TimeSpan.FromMinutes(minutes)),
            Day = DateOnly.FromDayNumber(days),
            Clock = new TimeOnly(ticks),
            Span = span,
        };

    private static Gen<Zoo> Zoos =>
        from id in ArbMap.Default.GeneratorFor<int>()
        from animals in Gen.ListOf(Gen.OneOf(
            Text.Select(n => (Animal)new Dog { Name = n, Breed = n + "!" }),
            Gen.Choose(0, 9).Select(l => (Animal)new Cat { Name = "c", Lives = l }),
            Text.Select(n => new Animal { Name = n })))
        select new Zoo { Id = id, Animals = [.. animals], Star = animals.FirstOrDefault() };

    [Fact]
    public void Random_people() => Prop.ForAll(People.ToArbitrary(), p => TypedDifferentialTests.AssertSame(p)).Check(Config);

    [Fact]
    public void Random_numbers() => Prop.ForAll(NumberSets.ToArbitrary(), n => TypedDifferentialTests.AssertSame(n)).Check(Config);

    [Fact]
    public void Random_times() => Prop.ForAll(TimeSets.ToArbitrary(), t => TypedDifferentialTests.AssertSame(t)).Check(Config);

    [Fact]
    public void Random_zoos() => Prop.ForAll(Zoos.ToArbitrary(), z => TypedDifferentialTests.AssertSame(z)).Check(Config);

    [Fact]
    public void Random_records() =>
        Prop.ForAll(
            (from x in ArbMap.Default.GeneratorFor<int>() from y in ArbMap.Default.GeneratorFor<int>() from l in Gen.OneOf(Gen.Constant<string?>(null), Text.Select(s => (string?)s)) select new Point(x, y, l)).ToArbitrary(),
            p => TypedDifferentialTests.AssertSame(p)).Check(Config);
}
