using MongoDB.Bson;
using MongoDB.Bson.Serialization.Attributes;

namespace Mongo.Benchmarks.Poco.Official;

// The driver benchmarking spec's tweet.json as a C# model, mapped with the official attributes. This is the official twin of
// OurTweet.cs; both read and write the same bytes.
#pragma warning disable CS1591, CA1002, CA2227, CA1056 // benchmark models mirror the JSON, not an API

[BsonIgnoreExtraElements]
public sealed class Tweet
{
    [BsonId] public int Id { get; set; }
    [BsonElement("text")] public string? Text { get; set; }
    [BsonElement("in_reply_to_status_id")] public long? InReplyToStatusId { get; set; }
    [BsonElement("retweet_count")] public int? RetweetCount { get; set; }
    [BsonElement("contributors")] public BsonValue? Contributors { get; set; }
    [BsonElement("created_at")] public string? CreatedAt { get; set; }
    [BsonElement("geo")] public BsonValue? Geo { get; set; }
    [BsonElement("source")] public string? Source { get; set; }
    [BsonElement("coordinates")] public BsonValue? Coordinates { get; set; }
    [BsonElement("in_reply_to_screen_name")] public string? InReplyToScreenName { get; set; }
    [BsonElement("truncated")] public bool Truncated { get; set; }
    [BsonElement("entities")] public TweetEntities? Entities { get; set; }
    [BsonElement("retweeted")] public bool Retweeted { get; set; }
    [BsonElement("place")] public BsonValue? Place { get; set; }
    [BsonElement("user")] public TwitterUser? User { get; set; }
    [BsonElement("favorited")] public bool Favorited { get; set; }
    [BsonElement("in_reply_to_user_id")] public long? InReplyToUserId { get; set; }
    [BsonElement("id")] public long TweetId { get; set; }
}

[BsonIgnoreExtraElements]
public sealed class TweetEntities
{
    [BsonElement("user_mentions")] public List<UserMention>? UserMentions { get; set; }
    [BsonElement("urls")] public List<BsonDocument>? Urls { get; set; }
    [BsonElement("hashtags")] public List<BsonDocument>? Hashtags { get; set; }
}

[BsonIgnoreExtraElements]
public sealed class UserMention
{
    [BsonElement("indices")] public int[]? Indices { get; set; }
    [BsonElement("screen_name")] public string? ScreenName { get; set; }
    [BsonElement("name")] public string? Name { get; set; }
    [BsonElement("id")] public long UserId { get; set; }
}

[BsonIgnoreExtraElements]
public sealed class TwitterUser
{
    [BsonElement("friends_count")] public int FriendsCount { get; set; }
    [BsonElement("profile_sidebar_fill_color")] public string? ProfileSidebarFillColor { get; set; }
    [BsonElement("location")] public string? Location { get; set; }
    [BsonElement("verified")] public bool Verified { get; set; }
    [BsonElement("follow_request_sent")] public bool? FollowRequestSent { get; set; }
    [BsonElement("favourites_count")] public int FavouritesCount { get; set; }
    [BsonElement("profile_sidebar_border_color")] public string? ProfileSidebarBorderColor { get; set; }
    [BsonElement("profile_image_url")] public string? ProfileImageUrl { get; set; }
    [BsonElement("geo_enabled")] public bool GeoEnabled { get; set; }
    [BsonElement("created_at")] public string? CreatedAt { get; set; }
    [BsonElement("description")] public string? Description { get; set; }
    [BsonElement("time_zone")] public string? TimeZone { get; set; }
    [BsonElement("url")] public string? Url { get; set; }
    [BsonElement("screen_name")] public string? ScreenName { get; set; }
    [BsonElement("notifications")] public bool? Notifications { get; set; }
    [BsonElement("profile_background_color")] public string? ProfileBackgroundColor { get; set; }
    [BsonElement("listed_count")] public int ListedCount { get; set; }
    [BsonElement("lang")] public string? Lang { get; set; }
    [BsonElement("profile_background_image_url")] public string? ProfileBackgroundImageUrl { get; set; }
    [BsonElement("statuses_count")] public int StatusesCount { get; set; }
    [BsonElement("following")] public bool? Following { get; set; }
    [BsonElement("profile_text_color")] public string? ProfileTextColor { get; set; }
    [BsonElement("protected")] public bool Protected { get; set; }
    [BsonElement("show_all_inline_media")] public bool ShowAllInlineMedia { get; set; }
    [BsonElement("profile_background_tile")] public bool ProfileBackgroundTile { get; set; }
    [BsonElement("name")] public string? Name { get; set; }
    [BsonElement("contributors_enabled")] public bool ContributorsEnabled { get; set; }
    [BsonElement("profile_link_color")] public string? ProfileLinkColor { get; set; }
    [BsonElement("followers_count")] public int FollowersCount { get; set; }
    [BsonElement("id")] public long UserId { get; set; }
    [BsonElement("profile_use_background_image")] public bool ProfileUseBackgroundImage { get; set; }
    [BsonElement("utc_offset")] public int UtcOffset { get; set; }
}

/// <summary>small_doc.json: seven strings and six integers whose names are not C# identifiers.</summary>
[BsonIgnoreExtraElements]
public sealed class SmallDoc
{
    [BsonId] public ObjectId Id { get; set; }
    [BsonElement("oggaoR4O")] public string? A1 { get; set; }
    [BsonElement("Vxri7mmI")] public string? A2 { get; set; }
    [BsonElement("IQ8K4ZMG")] public string? A3 { get; set; }
    [BsonElement("WzI8s1W0")] public string? A4 { get; set; }
    [BsonElement("E5Aj2zB3")] public string? A5 { get; set; }
    [BsonElement("3MXe8Wi7")] public string? A6 { get; set; }
    [BsonElement("PHPSSV51")] public string? A7 { get; set; }
    [BsonElement("CxSCo4jD")] public int B1 { get; set; }
    [BsonElement("5C8GSDC5")] public int B2 { get; set; }
    [BsonElement("fC63DsLR")] public int B3 { get; set; }
    [BsonElement("l6e0U4bR")] public int B4 { get; set; }
    [BsonElement("TLRpkltp")] public int B5 { get; set; }
    [BsonElement("Ph9CZN5L")] public int B6 { get; set; }
}
