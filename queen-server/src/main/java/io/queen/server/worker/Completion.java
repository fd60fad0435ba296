package io.queen.server.worker;

import io.queen.server.http.ApiResponse;

/**
 * A finished request on its way from the thread that completed it (a core thread, or the IO
 * thread itself) to the owning IO thread, through that thread's response queue. Plain immutable
 * data: it names the parked exchange by id and never carries it.
 *
 * @param id the request's id in its {@link ParkedExchanges}
 * @param response the handler's response, or null when it failed
 * @param failure why the handler's future failed, or null
 */
record Completion(long id, ApiResponse response, Throwable failure) {}
