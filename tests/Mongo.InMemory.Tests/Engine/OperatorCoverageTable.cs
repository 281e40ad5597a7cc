namespace Mongo.InMemory.Tests.Engine;

/// <summary>Where an operator is used: which command the coverage test runs it in.</summary>
internal enum OperatorKind
{
    Stage,
    Expression,
    Accumulator,
    Window,
    Query,
    Projection,
    Update,
}

/// <summary>One operator of the reference and a small valid use of it (JSON, read by the official driver's parser).</summary>
internal sealed record OperatorUse(OperatorKind Kind, string Name, string Use);

/// <summary>
/// Every stage, expression, accumulator, window function, query operator, projection operator and update operator in
/// the MongoDB 8.0 manual's operator reference, each with a small valid use. Sources (the 8.0 manual's index pages):
/// reference/operator/aggregation-pipeline (stages), reference/operator/aggregation (expression operators by category,
/// and the $group accumulators), reference/operator/aggregation/setWindowFields ("Window Operators"),
/// reference/operator/query (query and geometry operators, miscellaneous), reference/operator/projection and
/// reference/operator/update (fields, array, modifiers, bitwise). Features documented as newer than 8.0 are not listed.
/// </summary>
internal static class OperatorCoverageTable
{
    private static OperatorUse S(string name, string use) => new(OperatorKind.Stage, name, use);

    private static OperatorUse E(string name, string use) => new(OperatorKind.Expression, name, use);

    private static OperatorUse A(string name, string use) => new(OperatorKind.Accumulator, name, use);

    private static OperatorUse W(string name, string use) => new(OperatorKind.Window, name, use);

    private static OperatorUse Q(string name, string use) => new(OperatorKind.Query, name, use);

    private static OperatorUse P(string name, string use) => new(OperatorKind.Projection, name, use);

    private static OperatorUse U(string name, string use) => new(OperatorKind.Update, name, use);

    /// <summary>
    /// Stages: a one-stage pipeline on collection "c" (documents: see the test). "db:" runs a database-level aggregate
    /// (aggregate: 1) on "t", "admin:" on admin, "config:" on config.system.sessions.
    /// </summary>
    public static readonly OperatorUse[] Stages =
    [
        S("$addFields", "{$addFields: {y: 1}}"),
        S("$bucket", "{$bucket: {groupBy: '$x', boundaries: [0, 10], default: 'other'}}"),
        S("$bucketAuto", "{$bucketAuto: {groupBy: '$x', buckets: 2}}"),
        S("$changeStream", "{$changeStream: {}}"),
        S("$changeStreamSplitLargeEvent", "{$changeStreamSplitLargeEvent: {}}"),
        S("$collStats", "{$collStats: {count: {}}}"),
        S("$count", "{$count: 'n'}"),
        S("$currentOp", "admin:{$currentOp: {}}"),
        S("$densify", "{$densify: {field: 'x', range: {step: 1, bounds: 'full'}}}"),
        S("$documents", "db:{$documents: [{a: 1}]}"),
        S("$facet", "{$facet: {a: [{$limit: 1}]}}"),
        S("$fill", "{$fill: {output: {x: {value: 0}}}}"),
        S("$geoNear", "{$geoNear: {near: {type: 'Point', coordinates: [0, 0]}, distanceField: 'dist', spherical: true}}"),
        S("$graphLookup", "{$graphLookup: {from: 'c', startWith: '$x', connectFromField: 'x', connectToField: 'x', as: 'g'}}"),
        S("$group", "{$group: {_id: null}}"),
        S("$indexStats", "{$indexStats: {}}"),
        S("$limit", "{$limit: 1}"),
        S("$listLocalSessions", "db:{$listLocalSessions: {}}"),
        S("$listSampledQueries", "admin:{$listSampledQueries: {}}"),
        S("$listSearchIndexes", "{$listSearchIndexes: {}}"),
        S("$listSessions", "config:{$listSessions: {}}"),
        S("$lookup", "{$lookup: {from: 'c', localField: 'x', foreignField: 'x', as: 'j'}}"),
        S("$match", "{$match: {}}"),
        S("$merge", "{$merge: {into: 'merged'}}"),
        S("$out", "{$out: 'outed'}"),
        S("$planCacheStats", "{$planCacheStats: {}}"),
        S("$project", "{$project: {x: 1}}"),
        S("$querySettings", "admin:{$querySettings: {}}"),
        S("$queryStats", "admin:{$queryStats: {}}"),
        S("$redact", "{$redact: '$$KEEP'}"),
        S("$replaceRoot", "{$replaceRoot: {newRoot: '$$ROOT'}}"),
        S("$replaceWith", "{$replaceWith: '$$ROOT'}"),
        S("$sample", "{$sample: {size: 1}}"),
        S("$search", "{$search: {text: {query: 'a', path: 's'}}}"),
        S("$searchMeta", "{$searchMeta: {count: {}}}"),
        S("$set", "{$set: {y: 1}}"),
        S("$setWindowFields", "{$setWindowFields: {sortBy: {_id: 1}, output: {r: {$sum: 1}}}}"),
        S("$shardedDataDistribution", "admin:{$shardedDataDistribution: {}}"),
        S("$skip", "{$skip: 0}"),
        S("$sort", "{$sort: {_id: 1}}"),
        S("$sortByCount", "{$sortByCount: '$x'}"),
        S("$unionWith", "{$unionWith: 'c'}"),
        S("$unset", "{$unset: 'y'}"),
        S("$unwind", "{$unwind: '$arr'}"),
        S("$vectorSearch", "{$vectorSearch: {index: 'v', path: 'v', queryVector: [1.0], numCandidates: 1, limit: 1}}"),
    ];

    /// <summary>Expressions: the value of a $project field.</summary>
    public static readonly OperatorUse[] Expressions =
    [
        // Arithmetic
        E("$abs", "{$abs: -1}"), E("$add", "{$add: [1, 2]}"), E("$ceil", "{$ceil: 1.5}"), E("$divide", "{$divide: [1, 2]}"),
        E("$exp", "{$exp: 1}"), E("$floor", "{$floor: 1.5}"), E("$ln", "{$ln: 1}"), E("$log", "{$log: [8, 2]}"),
        E("$log10", "{$log10: 10}"), E("$mod", "{$mod: [5, 2]}"), E("$multiply", "{$multiply: [2, 3]}"), E("$pow", "{$pow: [2, 3]}"),
        E("$round", "{$round: 1.5}"), E("$sqrt", "{$sqrt: 4}"), E("$subtract", "{$subtract: [3, 1]}"), E("$trunc", "{$trunc: 1.5}"),
        // Array
        E("$arrayElemAt", "{$arrayElemAt: ['$arr', 0]}"), E("$arrayToObject", "{$arrayToObject: {$literal: [['k', 1]]}}"),
        E("$concatArrays", "{$concatArrays: ['$arr', [3]]}"), E("$filter", "{$filter: {input: '$arr', cond: {$gt: ['$$this', 1]}}}"),
        E("$first", "{$first: '$arr'}"), E("$firstN", "{$firstN: {input: '$arr', n: 1}}"), E("$in", "{$in: [1, '$arr']}"),
        E("$indexOfArray", "{$indexOfArray: ['$arr', 2]}"), E("$isArray", "{$isArray: '$arr'}"), E("$last", "{$last: '$arr'}"),
        E("$lastN", "{$lastN: {input: '$arr', n: 1}}"), E("$map", "{$map: {input: '$arr', in: '$$this'}}"),
        E("$maxN", "{$maxN: {input: '$arr', n: 1}}"), E("$minN", "{$minN: {input: '$arr', n: 1}}"),
        E("$objectToArray", "{$objectToArray: '$o'}"), E("$range", "{$range: [0, 3]}"),
        E("$reduce", "{$reduce: {input: '$arr', initialValue: 0, in: {$add: ['$$value', '$$this']}}}"),
        E("$reverseArray", "{$reverseArray: '$arr'}"), E("$size", "{$size: '$arr'}"), E("$slice", "{$slice: ['$arr', 1]}"),
        E("$sortArray", "{$sortArray: {input: '$arr', sortBy: 1}}"), E("$zip", "{$zip: {inputs: ['$arr', '$arr']}}"),
        // Bitwise
        E("$bitAnd", "{$bitAnd: [1, 3]}"), E("$bitNot", "{$bitNot: 1}"), E("$bitOr", "{$bitOr: [1, 2]}"), E("$bitXor", "{$bitXor: [1, 3]}"),
        // Boolean, comparison, conditional
        E("$and", "{$and: [true]}"), E("$not", "{$not: [false]}"), E("$or", "{$or: [false]}"),
        E("$cmp", "{$cmp: [1, 2]}"), E("$eq", "{$eq: [1, 1]}"), E("$gt", "{$gt: [1, 2]}"), E("$gte", "{$gte: [1, 2]}"),
        E("$lt", "{$lt: [1, 2]}"), E("$lte", "{$lte: [1, 2]}"), E("$ne", "{$ne: [1, 2]}"),
        E("$cond", "{$cond: [true, 1, 2]}"), E("$ifNull", "{$ifNull: [null, 1]}"), E("$switch", "{$switch: {branches: [{case: true, then: 1}]}}"),
        // Custom (JavaScript)
        E("$function", "{$function: {body: 'function() { return 1; }', args: [], lang: 'js'}}"),
        // Data size
        E("$binarySize", "{$binarySize: '$s'}"), E("$bsonSize", "{$bsonSize: '$o'}"),
        // Date
        E("$dateAdd", "{$dateAdd: {startDate: '$d', unit: 'day', amount: 1}}"),
        E("$dateDiff", "{$dateDiff: {startDate: '$d', endDate: '$d', unit: 'day'}}"),
        E("$dateFromParts", "{$dateFromParts: {year: 2020}}"), E("$dateFromString", "{$dateFromString: {dateString: '2020-01-01'}}"),
        E("$dateSubtract", "{$dateSubtract: {startDate: '$d', unit: 'day', amount: 1}}"), E("$dateToParts", "{$dateToParts: {date: '$d'}}"),
        E("$dateToString", "{$dateToString: {date: '$d'}}"), E("$dateTrunc", "{$dateTrunc: {date: '$d', unit: 'day'}}"),
        E("$dayOfMonth", "{$dayOfMonth: '$d'}"), E("$dayOfWeek", "{$dayOfWeek: '$d'}"), E("$dayOfYear", "{$dayOfYear: '$d'}"),
        E("$hour", "{$hour: '$d'}"), E("$isoDayOfWeek", "{$isoDayOfWeek: '$d'}"), E("$isoWeek", "{$isoWeek: '$d'}"),
        E("$isoWeekYear", "{$isoWeekYear: '$d'}"), E("$millisecond", "{$millisecond: '$d'}"), E("$minute", "{$minute: '$d'}"),
        E("$month", "{$month: '$d'}"), E("$second", "{$second: '$d'}"), E("$toDate", "{$toDate: '$d'}"), E("$week", "{$week: '$d'}"),
        E("$year", "{$year: '$d'}"),
        // Literal, miscellaneous, object
        E("$literal", "{$literal: 1}"), E("$getField", "{$getField: 'x'}"), E("$rand", "{$rand: {}}"),
        E("$toHashedIndexKey", "{$toHashedIndexKey: 1}"), E("$mergeObjects", "{$mergeObjects: ['$o', {b: 1}]}"),
        E("$setField", "{$setField: {field: 'a', input: '$o', value: 2}}"), E("$unsetField", "{$unsetField: {field: 'a', input: '$o'}}"),
        // Set
        E("$allElementsTrue", "{$allElementsTrue: [[true]]}"), E("$anyElementTrue", "{$anyElementTrue: [[true]]}"),
        E("$setDifference", "{$setDifference: [[1], [2]]}"), E("$setEquals", "{$setEquals: [[1], [1]]}"),
        E("$setIntersection", "{$setIntersection: [[1], [1]]}"), E("$setIsSubset", "{$setIsSubset: [[1], [1]]}"),
        E("$setUnion", "{$setUnion: [[1], [2]]}"),
        // String
        E("$concat", "{$concat: ['a', 'b']}"), E("$indexOfBytes", "{$indexOfBytes: ['ab', 'b']}"), E("$indexOfCP", "{$indexOfCP: ['ab', 'b']}"),
        E("$ltrim", "{$ltrim: {input: ' a'}}"), E("$regexFind", "{$regexFind: {input: 'a', regex: 'a'}}"),
        E("$regexFindAll", "{$regexFindAll: {input: 'a', regex: 'a'}}"), E("$regexMatch", "{$regexMatch: {input: 'a', regex: 'a'}}"),
        E("$replaceOne", "{$replaceOne: {input: 'a', find: 'a', replacement: 'b'}}"),
        E("$replaceAll", "{$replaceAll: {input: 'a', find: 'a', replacement: 'b'}}"), E("$rtrim", "{$rtrim: {input: 'a '}}"),
        E("$split", "{$split: ['a,b', ',']}"), E("$strLenBytes", "{$strLenBytes: 'a'}"), E("$strLenCP", "{$strLenCP: 'a'}"),
        E("$strcasecmp", "{$strcasecmp: ['a', 'b']}"), E("$substr", "{$substr: ['abc', 0, 1]}"),
        E("$substrBytes", "{$substrBytes: ['abc', 0, 1]}"), E("$substrCP", "{$substrCP: ['abc', 0, 1]}"),
        E("$toLower", "{$toLower: 'A'}"), E("$toUpper", "{$toUpper: 'a'}"), E("$trim", "{$trim: {input: ' a '}}"),
        // Text, timestamp
        E("$meta", "{$meta: 'randVal'}"), E("$tsIncrement", "{$tsIncrement: '$t'}"), E("$tsSecond", "{$tsSecond: '$t'}"),
        // Trigonometry
        E("$sin", "{$sin: 0}"), E("$cos", "{$cos: 0}"), E("$tan", "{$tan: 0}"), E("$asin", "{$asin: 0}"), E("$acos", "{$acos: 1}"),
        E("$atan", "{$atan: 0}"), E("$atan2", "{$atan2: [1, 1]}"), E("$asinh", "{$asinh: 0}"), E("$acosh", "{$acosh: 1}"),
        E("$atanh", "{$atanh: 0}"), E("$sinh", "{$sinh: 0}"), E("$cosh", "{$cosh: 0}"), E("$tanh", "{$tanh: 0}"),
        E("$degreesToRadians", "{$degreesToRadians: 1}"), E("$radiansToDegrees", "{$radiansToDegrees: 1}"),
        // Type
        E("$convert", "{$convert: {input: 1, to: 'string'}}"), E("$isNumber", "{$isNumber: 1}"), E("$toBool", "{$toBool: 1}"),
        E("$toDecimal", "{$toDecimal: 1}"), E("$toDouble", "{$toDouble: 1}"), E("$toInt", "{$toInt: 1}"), E("$toLong", "{$toLong: 1}"),
        E("$toObjectId", "{$toObjectId: '5f0000000000000000000000'}"), E("$toString", "{$toString: 1}"), E("$type", "{$type: 1}"),
        E("$toUUID", "{$toUUID: '0123abcd-4567-89ef-0123-456789abcdef'}"),
        // Accumulators that are also expressions, and variables
        E("$avg", "{$avg: [1, 2]}"), E("$max", "{$max: [1, 2]}"), E("$min", "{$min: [1, 2]}"), E("$sum", "{$sum: [1, 2]}"),
        E("$stdDevPop", "{$stdDevPop: [1, 2]}"), E("$stdDevSamp", "{$stdDevSamp: [1, 2]}"),
        E("$median", "{$median: {input: '$arr', method: 'approximate'}}"),
        E("$percentile", "{$percentile: {input: '$arr', p: [0.5], method: 'approximate'}}"),
        E("$let", "{$let: {vars: {a: 1}, in: '$$a'}}"),
    ];

    /// <summary>$group accumulators: the value of a $group field.</summary>
    public static readonly OperatorUse[] Accumulators =
    [
        A("$accumulator", "{$accumulator: {init: 'function() { return 0; }', accumulate: 'function(s) { return s; }', accumulateArgs: [], merge: 'function(a, b) { return a; }', lang: 'js'}}"),
        A("$addToSet", "{$addToSet: '$x'}"), A("$avg", "{$avg: '$x'}"), A("$bottom", "{$bottom: {output: '$x', sortBy: {x: 1}}}"),
        A("$bottomN", "{$bottomN: {output: '$x', sortBy: {x: 1}, n: 1}}"), A("$count", "{$count: {}}"), A("$first", "{$first: '$x'}"),
        A("$firstN", "{$firstN: {input: '$x', n: 1}}"), A("$last", "{$last: '$x'}"), A("$lastN", "{$lastN: {input: '$x', n: 1}}"),
        A("$max", "{$max: '$x'}"), A("$maxN", "{$maxN: {input: '$x', n: 1}}"), A("$median", "{$median: {input: '$x', method: 'approximate'}}"),
        A("$mergeObjects", "{$mergeObjects: '$o'}"), A("$min", "{$min: '$x'}"), A("$minN", "{$minN: {input: '$x', n: 1}}"),
        A("$percentile", "{$percentile: {input: '$x', p: [0.5], method: 'approximate'}}"), A("$push", "{$push: '$x'}"),
        A("$stdDevPop", "{$stdDevPop: '$x'}"), A("$stdDevSamp", "{$stdDevSamp: '$x'}"), A("$sum", "{$sum: '$x'}"),
        A("$top", "{$top: {output: '$x', sortBy: {x: 1}}}"), A("$topN", "{$topN: {output: '$x', sortBy: {x: 1}, n: 1}}"),
    ];

    /// <summary>Window functions: one $setWindowFields output (sortBy {_id: 1}).</summary>
    public static readonly OperatorUse[] WindowFunctions =
    [
        W("$addToSet", "{$addToSet: '$x'}"), W("$avg", "{$avg: '$x'}"), W("$bottom", "{$bottom: {output: '$x', sortBy: {x: 1}}}"),
        W("$bottomN", "{$bottomN: {output: '$x', sortBy: {x: 1}, n: 1}}"), W("$count", "{$count: {}}"),
        W("$covariancePop", "{$covariancePop: ['$x', '$x']}"), W("$covarianceSamp", "{$covarianceSamp: ['$x', '$x']}"),
        W("$denseRank", "{$denseRank: {}}"), W("$derivative", "{$derivative: {input: '$x'}, window: {documents: [-1, 0]}}"),
        W("$documentNumber", "{$documentNumber: {}}"), W("$expMovingAvg", "{$expMovingAvg: {input: '$x', N: 2}}"),
        W("$first", "{$first: '$x'}"), W("$firstN", "{$firstN: {input: '$x', n: 1}}"), W("$integral", "{$integral: {input: '$x'}}"),
        W("$last", "{$last: '$x'}"), W("$lastN", "{$lastN: {input: '$x', n: 1}}"), W("$linearFill", "{$linearFill: '$x'}"),
        W("$locf", "{$locf: '$x'}"), W("$max", "{$max: '$x'}"), W("$maxN", "{$maxN: {input: '$x', n: 1}}"),
        W("$median", "{$median: {input: '$x', method: 'approximate'}}"), W("$min", "{$min: '$x'}"),
        W("$minN", "{$minN: {input: '$x', n: 1}}"), W("$percentile", "{$percentile: {input: '$x', p: [0.5], method: 'approximate'}}"),
        W("$push", "{$push: '$x'}"), W("$rank", "{$rank: {}}"), W("$shift", "{$shift: {output: '$x', by: 1}}"),
        W("$stdDevPop", "{$stdDevPop: '$x'}"), W("$stdDevSamp", "{$stdDevSamp: '$x'}"), W("$sum", "{$sum: '$x'}"),
        W("$top", "{$top: {output: '$x', sortBy: {x: 1}}}"), W("$topN", "{$topN: {output: '$x', sortBy: {x: 1}, n: 1}}"),
    ];

    /// <summary>Query operators: a find filter ("sort:" a find sort, for $natural).</summary>
    public static readonly OperatorUse[] QueryOperators =
    [
        Q("$eq", "{x: {$eq: 1}}"), Q("$gt", "{x: {$gt: 0}}"), Q("$gte", "{x: {$gte: 1}}"), Q("$in", "{x: {$in: [1]}}"),
        Q("$lt", "{x: {$lt: 2}}"), Q("$lte", "{x: {$lte: 1}}"), Q("$ne", "{x: {$ne: 2}}"), Q("$nin", "{x: {$nin: [2]}}"),
        Q("$and", "{$and: [{x: 1}]}"), Q("$not", "{x: {$not: {$gt: 5}}}"), Q("$nor", "{$nor: [{x: 2}]}"), Q("$or", "{$or: [{x: 1}]}"),
        Q("$exists", "{x: {$exists: true}}"), Q("$type", "{x: {$type: 'int'}}"),
        Q("$expr", "{$expr: {$eq: ['$x', 1]}}"), Q("$jsonSchema", "{$jsonSchema: {required: ['x']}}"), Q("$mod", "{x: {$mod: [2, 1]}}"),
        Q("$regex", "{s: {$regex: 'h'}}"), Q("$options", "{s: {$regex: 'H', $options: 'i'}}"), Q("$text", "{$text: {$search: 'hello'}}"),
        Q("$where", "{$where: 'true'}"),
        Q("$geoIntersects", "{loc: {$geoIntersects: {$geometry: {type: 'Point', coordinates: [0, 0]}}}}"),
        Q("$geoWithin", "{loc: {$geoWithin: {$centerSphere: [[0, 0], 1]}}}"),
        Q("$near", "{loc: {$near: {$geometry: {type: 'Point', coordinates: [0, 0]}}}}"),
        Q("$nearSphere", "{loc: {$nearSphere: {$geometry: {type: 'Point', coordinates: [0, 0]}}}}"),
        Q("$box", "{loc: {$geoWithin: {$box: [[-1, -1], [1, 1]]}}}"), Q("$center", "{loc: {$geoWithin: {$center: [[0, 0], 1]}}}"),
        Q("$centerSphere", "{loc: {$geoWithin: {$centerSphere: [[0, 0], 1]}}}"),
        Q("$geometry", "{loc: {$geoWithin: {$geometry: {type: 'Polygon', coordinates: [[[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]]]}}}}"),
        Q("$maxDistance", "{loc: {$near: {$geometry: {type: 'Point', coordinates: [0, 0]}, $maxDistance: 10}}}"),
        Q("$minDistance", "{loc: {$near: {$geometry: {type: 'Point', coordinates: [0, 0]}, $minDistance: 0}}}"),
        Q("$polygon", "{loc: {$geoWithin: {$polygon: [[0, 0], [1, 0], [1, 1]]}}}"),
        Q("$all", "{arr: {$all: [1]}}"), Q("$elemMatch", "{arr: {$elemMatch: {$gt: 0}}}"), Q("$size", "{arr: {$size: 2}}"),
        Q("$bitsAllClear", "{x: {$bitsAllClear: [1]}}"), Q("$bitsAllSet", "{x: {$bitsAllSet: [0]}}"),
        Q("$bitsAnyClear", "{x: {$bitsAnyClear: [1]}}"), Q("$bitsAnySet", "{x: {$bitsAnySet: [0]}}"),
        Q("$comment", "{$comment: 'c'}"), Q("$rand", "{$expr: {$lt: [{$rand: {}}, 2]}}"), Q("$natural", "sort:{$natural: 1}"),
        Q("$sampleRate", "{$sampleRate: 0.5}"),
    ];

    /// <summary>Projection operators: filter, then the find projection, separated by " | ".</summary>
    public static readonly OperatorUse[] ProjectionOperators =
    [
        P("$", "{arr: 1} | {'arr.$': 1}"), P("$elemMatch", "{} | {arr: {$elemMatch: {$gt: 1}}}"),
        P("$meta", "{$text: {$search: 'hello'}} | {score: {$meta: 'textScore'}}"), P("$slice", "{} | {arr: {$slice: 1}}"),
    ];

    /// <summary>Update operators: an update of the one document of collection "u" ("filter | update | arrayFilters").</summary>
    public static readonly OperatorUse[] UpdateOperators =
    [
        U("$currentDate", "{} | {$currentDate: {cd: true}}"), U("$inc", "{} | {$inc: {x: 0}}"), U("$min", "{} | {$min: {x: 1}}"),
        U("$max", "{} | {$max: {x: 1}}"), U("$mul", "{} | {$mul: {x: 1}}"), U("$rename", "{} | {$rename: {zz: 'yy'}}"),
        U("$set", "{} | {$set: {x: 1}}"), U("$setOnInsert", "{} | {$setOnInsert: {z: 1}}"), U("$unset", "{} | {$unset: {zz: ''}}"),
        U("$", "{arr: 1} | {$set: {'arr.$': 1}}"), U("$[]", "{} | {$set: {'arr.$[]': 1}}"),
        U("$[<identifier>]", "{} | {$set: {'arr.$[e]': 1}} | [{e: 1}]"), U("$addToSet", "{} | {$addToSet: {arr: 1}}"),
        U("$pop", "{} | {$pop: {arr: 1}}"), U("$pull", "{} | {$pull: {arr: 5}}"), U("$push", "{} | {$push: {arr: 1}}"),
        U("$pullAll", "{} | {$pullAll: {arr: [5]}}"), U("$each", "{} | {$push: {arr: {$each: [1]}}}"),
        U("$position", "{} | {$push: {arr: {$each: [1], $position: 0}}}"), U("$slice", "{} | {$push: {arr: {$each: [], $slice: 5}}}"),
        U("$sort", "{} | {$push: {arr: {$each: [], $sort: 1}}}"), U("$bit", "{} | {$bit: {x: {and: 1}}}"),
    ];

    public static IEnumerable<OperatorUse> All =>
        Stages.Concat(Expressions).Concat(Accumulators).Concat(WindowFunctions).Concat(QueryOperators).Concat(ProjectionOperators).Concat(UpdateOperators);
}
