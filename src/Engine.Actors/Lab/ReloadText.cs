namespace Engine.Actors.Lab;

/// <summary>A reload's changes to one kind of item in a log line: "+added -removed ~recreated", or "unchanged".</summary>
internal static class ReloadText
{
    public static string Of(LabItemChanges changes) => changes.IsEmpty
        ? "unchanged"
        : string.Join(' ', changes.Added.Select(n => "+" + n).Concat(changes.Removed.Select(n => "-" + n)).Concat(changes.Changed.Select(n => "~" + n)));
}
