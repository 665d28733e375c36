// What nearly every endpoint file of the API reads from: claims, typed results, EF Core, the API's own plumbing and the DbContext.
global using System.Security.Claims;
global using Microsoft.AspNetCore.Http.HttpResults;
global using Microsoft.EntityFrameworkCore;
global using TaskFlow.Api.Infrastructure;
global using TaskFlow.Components.Data;
