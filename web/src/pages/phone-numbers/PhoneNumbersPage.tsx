import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, unwrapPage } from "../../api/client";
import { useAllAgents } from "../../api/hooks";
import { Pager } from "../../components/forms/Pager";
import { useCursorPager } from "../../components/forms/useCursorPager";
import { Empty, ErrorMessage, Loading, PageHeader } from "../../components/Status";
import { AddPhoneNumberForm } from "./AddPhoneNumberForm";
import { PhoneNumberRow } from "./PhoneNumberRow";
import "./phone-numbers.css";

export const PHONE_NUMBERS_PAGE_SIZE = 50;

/** /phone-numbers: the numbers voxd answers and the agent behind each. */
export function PhoneNumbersPage() {
  const pager = useCursorPager();
  const numbers = useQuery({
    queryKey: ["phone-numbers", "page", pager.cursor],
    queryFn: () =>
      unwrapPage(
        api.GET("/api/phone-numbers", { params: { query: { limit: PHONE_NUMBERS_PAGE_SIZE, cursor: pager.cursor } } }),
      ),
    placeholderData: keepPreviousData,
  });
  const agents = useAllAgents();
  const agentList = agents.data ?? [];

  let list;
  if (numbers.error) list = <ErrorMessage error={numbers.error} title="Cannot list the phone numbers" />;
  else if (!numbers.data) list = <Loading what="phone numbers" />;
  else if (numbers.data.items.length === 0 && !pager.hasPrevious)
    list = <Empty>No phone numbers yet. Add one below to have an agent answer it.</Empty>;
  else
    list = (
      <>
        <table className="data phone-numbers-table">
          <thead>
            <tr>
              <th scope="col">Number</th>
              <th scope="col">Nickname</th>
              <th scope="col">Agent</th>
              <th scope="col">Status</th>
              <th scope="col">Calls</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {numbers.data.items.map((phoneNumber) => (
              <PhoneNumberRow key={phoneNumber.id} phoneNumber={phoneNumber} agents={agentList} />
            ))}
          </tbody>
        </table>
        <Pager
          pageNumber={pager.pageNumber}
          hasPrevious={pager.hasPrevious}
          nextCursor={numbers.data.nextCursor}
          onPrevious={pager.previous}
          onNext={pager.next}
        />
      </>
    );

  return (
    <section className="page">
      <PageHeader title="Phone numbers" />
      {agents.error && <ErrorMessage error={agents.error} title="Cannot list the agents" />}
      {list}
      <AddPhoneNumberForm agents={agentList} />
    </section>
  );
}
