namespace Mongo.Driver;

/// <summary>
/// Markers for the positional update operators inside typed field selectors. They are never called: the driver reads
/// them from the expression. <c>p => p.Tags.FirstMatchingElement()</c> is <c>tags.$</c>, <c>p => p.Items.AllElements().Qty</c>
/// is <c>items.$[].qty</c>, <c>p => p.Items.AllMatchingElements("low").Qty</c> is <c>items.$[low].qty</c> (declare the
/// identifier in <c>UpdateOptions.ArrayFilters</c>). Indexes are plain C#: <c>p => p.Items[0].Sku</c> is <c>items.0.sku</c>.
/// </summary>
public static class MongoPositional
{
    /// <summary>The first element the query matched: <c>field.$</c>.</summary>
    /// <exception cref="InvalidOperationException">Always, when called outside an expression.</exception>
    public static T FirstMatchingElement<T>(this IEnumerable<T> source) => throw Marker();

    /// <summary>Every element: <c>field.$[]</c>.</summary>
    /// <exception cref="InvalidOperationException">Always, when called outside an expression.</exception>
    public static T AllElements<T>(this IEnumerable<T> source) => throw Marker();

    /// <summary>The elements matching the array filter with this identifier: <c>field.$[identifier]</c>.</summary>
    /// <exception cref="InvalidOperationException">Always, when called outside an expression.</exception>
    public static T AllMatchingElements<T>(this IEnumerable<T> source, string identifier) => throw Marker();

    private static InvalidOperationException Marker() =>
        new("Positional markers only name array elements inside a typed field selector; they cannot be called.");
}
