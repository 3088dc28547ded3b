using Engine.Commands;

return await EngineCommandLine.Build().Parse(args).InvokeAsync();
