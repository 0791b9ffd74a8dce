namespace OpenChat.Bench.Reporting;

/// <summary>How a metric is shown: its title, its number format, and which direction is better (null: neither, no ratio).</summary>
public sealed record MetricInfo(string Key, string Title, string Format, bool? HigherIsBetter);
