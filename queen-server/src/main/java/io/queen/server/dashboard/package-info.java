/**
 * The browser dashboard, served by the server itself: its static files (vanilla ES modules, no
 * build step) from the class path under {@code io/queen/server/dashboard/}, and uPlot's from its
 * webjar. {@link io.queen.server.dashboard.DashboardHandler} answers, on the IO thread, the GET
 * and HEAD requests that match no route: the index (revalidated on every load) at {@code /} and
 * at the page's own paths, every other file under {@code /assets/<version hash>/} and uPlot under
 * {@code /webjars/uplot/<version>/}, both cached for a year. Everything is read into memory once
 * at start-up ({@code DashboardAssets}); nothing is read from disk at request time. The files
 * hold no data, so they need no token: every API call the page makes passes the JWT gate as any
 * other client's. Off with {@code DASHBOARD_ENABLED=false}.
 */
package io.queen.server.dashboard;
