import { useEffect } from 'preact/hooks'

const APP_NAME = 'Auth0 + Cognito POC'

/** A single-page app keeps one document: each page names itself in the tab, history and screen readers. */
export function useTitle (page?: string) {
  useEffect(() => { document.title = page ? `${page} | ${APP_NAME}` : APP_NAME }, [page])
}
