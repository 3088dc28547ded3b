using System.Globalization;

namespace Engine.Actors.Topology;

/// <summary>
/// Reads the keys of one HOCON object for a validator: reports keys the schema does not know,
/// missing required keys and values of the wrong shape, each with its path. Getters return null
/// when the key is absent (or null) and when the value was wrong; the error list tells them apart.
/// </summary>
internal sealed class ObjectReader
{
    private readonly HoconObjectNode _node;
    private readonly ErrorList _errors;

    public ObjectReader(HoconObjectNode node, ErrorList errors, IReadOnlyCollection<string> knownKeys)
    {
        _node = node;
        _errors = errors;
        foreach (var (key, value) in node.Members)
            if (!knownKeys.Contains(key))
                errors.Add(value.Path, "unknown key");
    }

    public string Path => _node.Path;

    public string PathOf(string key) => HoconPath.Key(_node.Path, key);

    /// <summary>The value, or null when the key is absent, null, or already reported as invalid.</summary>
    public HoconNode? Find(string key, bool required = false)
    {
        var value = _node.Find(key);
        if (value is null or HoconNull)
        {
            if (required)
                _errors.Add(PathOf(key), "required");
            return null;
        }
        return value is HoconInvalid ? null : value;
    }

    /// <summary>True when the key is missing or null: the schema's default applies.</summary>
    public bool IsAbsent(string key) => _node.Find(key) is null or HoconNull;

    /// <param name="expectation">Completes "must be ...", e.g. "tun or tap".</param>
    public HoconScalar? Scalar(string key, string expectation, bool required = false) =>
        Find(key, required) is { } value ? AsScalar(value, expectation, _errors) : null;

    public HoconList? List(string key, bool required = false)
    {
        var value = Find(key, required);
        if (value is null or HoconList)
            return (HoconList?)value;
        _errors.Add(value.Path, "must be a list, got " + value.Describe());
        return null;
    }

    /// <summary>One string or a list of strings, as a list either way; an absent key is empty.</summary>
    public IReadOnlyList<HoconScalar> ScalarOrList(string key, string expectation)
    {
        switch (Find(key))
        {
            case null:
                return [];
            case HoconScalar scalar:
                return [scalar];
            case HoconList list:
                var scalars = new List<HoconScalar>(list.Items.Count);
                foreach (var item in list.Items)
                    if (AsScalar(item, expectation, _errors) is { } scalar)
                        scalars.Add(scalar);
                return scalars;
            case var other:
                _errors.Add(other.Path, $"must be {expectation} or a list of them, got {other.Describe()}");
                return [];
        }
    }

    public int? Int(string key, int min, int max)
    {
        var expectation = $"a number from {min} to {max}";
        if (Scalar(key, expectation) is not { } scalar)
            return null;
        if (int.TryParse(scalar.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        _errors.Add(scalar.Path, $"must be {expectation}, got {scalar.Describe()}");
        return null;
    }

    /// <summary>A HOCON duration from <paramref name="min"/> to <paramref name="max"/>, both inclusive.</summary>
    public TimeSpan? Duration(string key, TimeSpan min, TimeSpan max)
    {
        const string expectation = "a duration like 1s or 500ms";
        if (Scalar(key, expectation) is not { } scalar)
            return null;
        if (!DurationText.TryParse(scalar.Text, out var duration, out var hasUnit))
        {
            _errors.Add(scalar.Path, $"must be {expectation}, got {scalar.Describe()}");
            return null;
        }
        if (duration < min)
        {
            _errors.Add(scalar.Path, $"must be at least {DurationText.Format(min)}, got {scalar.Describe()}"
                + (hasUnit ? "" : " (a number without a unit means milliseconds)"));
            return null;
        }
        if (duration > max)
        {
            _errors.Add(scalar.Path, $"must be at most {DurationText.Format(max)}, got {scalar.Describe()}");
            return null;
        }
        return duration;
    }

    public bool? Bool(string key)
    {
        const string expectation = "true or false";
        if (Scalar(key, expectation) is not { } scalar)
            return null;
        switch (scalar.Text)
        {
            case "true" or "yes" or "on": return true;
            case "false" or "no" or "off": return false;
        }
        _errors.Add(scalar.Path, $"must be {expectation}, got {scalar.Describe()}");
        return null;
    }

    public static HoconScalar? AsScalar(HoconNode value, string expectation, ErrorList errors)
    {
        switch (value)
        {
            case HoconScalar scalar:
                return scalar;
            case HoconInvalid:
                return null;
            default:
                errors.Add(value.Path, $"must be {expectation}, got {value.Describe()}");
                return null;
        }
    }

    public static HoconObjectNode? AsObject(HoconNode value, ErrorList errors)
    {
        switch (value)
        {
            case HoconObjectNode node:
                return node;
            case HoconInvalid:
                return null;
            default:
                errors.Add(value.Path, "must be an object, got " + value.Describe());
                return null;
        }
    }
}
