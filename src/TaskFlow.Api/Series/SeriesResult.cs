// The answer of every change to a series, named once for the files of this folder: C# names a Results<...> union only by an alias.
global using SeriesResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<TaskFlow.Api.Series.SeriesResponse>,
    Microsoft.AspNetCore.Http.HttpResults.NotFound,
    Microsoft.AspNetCore.Http.HttpResults.ValidationProblem,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;
